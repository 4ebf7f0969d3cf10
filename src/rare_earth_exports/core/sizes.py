"""Sizes of files as messages state them: the build's disk-space messages and the import limit."""


def file_size(n: int) -> str:
    """'2,147.5 MB', '0.9 kB' (decimal units, as disks are sold)."""
    return f"{n / 1e6:,.1f} MB" if n >= 100_000 else f"{n / 1e3:,.1f} kB"
