"""What the data covers: coverage by series and month, and what curation decided."""
