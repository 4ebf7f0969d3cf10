"""Who reported a figure, in a few words for the prose (the full list sits in the sources tables)."""

from __future__ import annotations

import pandas as pd


def publishers(source_ids, sources: pd.DataFrame) -> str:
    """'a.com, b.org' for `;`-separated ids (a string or a list of strings): sorted, each once."""
    parts = [source_ids] if isinstance(source_ids, str) else list(source_ids)
    ids = {i for s in parts for i in str(s).split(";") if i}
    return ", ".join(sorted(set(sources.loc[sources["source_id"].isin(ids), "publisher"])))
