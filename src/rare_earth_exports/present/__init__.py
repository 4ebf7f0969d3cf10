"""How anything looks: chart theme, offline renderer, shared chart pieces, tables, page glue."""
