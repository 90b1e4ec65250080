"""Functions for the `ftlab run --callable` tests (imported with --callable-dir)."""

import threading


def squares():
    """Deterministic work: the same answer on every thread."""
    return sum(i * i for i in range(300))


def main_thread_only():
    """True on the main thread (where the expected value is taken), False on a worker: a wrong
    answer at N threads."""
    return threading.current_thread() is threading.main_thread()


def raises():
    raise RuntimeError("broken on purpose")


def uses_requirement():
    """Needs the package the test installs with --requirement."""
    import six
    return six.ensure_str(b"ftlab")


not_callable = 42
