"""One subpackage per chapter: what it measures, the sentences it writes, the charts it draws."""
