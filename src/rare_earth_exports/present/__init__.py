"""How anything looks: chart theme, offline renderer, the series chart, the events a chart labels,
figures and tables with their downloads (`show`), page glue."""
