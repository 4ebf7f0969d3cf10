"""The error every curation rule raises for an input it does not cover (shown by `rebook curate` without a traceback)."""


class CurationError(ValueError):
    """An input the curation rules do not cover (a new category, an unknown period form, a malformed rule file)."""
