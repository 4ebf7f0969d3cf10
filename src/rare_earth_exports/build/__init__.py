"""Making the site: the page plan, input hashes, execution and publishing, the vintage diff."""


class BuildError(RuntimeError):
    """A build that must stop; the message says where and why."""
