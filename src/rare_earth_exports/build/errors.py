"""The build's one error type, shared by the lock, publishing and the run."""


class BuildError(RuntimeError):
    """A build that must stop; the message says where and why."""
