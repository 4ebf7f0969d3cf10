"""Curated data, metrics and build tooling for the open analysis book on China's rare-earth export controls.

Where things are:
- `core/`: the vocabulary every layer shares: periods, loading the data package, monthly series
  and their measures, source ids, words for the prose.
- `curate/`: from raw figures (`sources/`) to the data package (`data/`): rules, derived months,
  validation, consistency checks, customs importers.
- `chapters/`: one subpackage per chapter of the book: what it measures, the sentences it
  writes, the charts it draws.
- `present/`: how anything looks: the chart theme, the offline renderer, the series chart, the
  events a chart labels, figures and tables with their downloads, the page's glue and metrics rows.
- `build/`: making the site: the page plan from parameters.yml, input hashes, execution and
  publishing, the vintage diff.
- `cli.py`: the `rebook` command.
"""

__version__ = "0.1.0"
