"""Code under test: pure functions, a shared counter behind one lock, and a cache that is not
thread-safe."""

import threading


def checksum(n):
    """Pure CPU work on private data: scales with threads on a free-threaded build."""
    total = 0
    for i in range(n):
        total = (total * 31 + i) % 1_000_003
    return total


class Counter:
    """One object every caller updates under one lock: contends."""

    def __init__(self):
        self.lock = threading.Lock()
        self.value = 0

    def add(self, n):
        for _ in range(n):
            with self.lock:
                self.value += 1


class Registry:
    """Check-then-act without a lock: two threads can both see a name as free."""

    def __init__(self):
        self.names = {}

    def register(self, name, value):
        if name in self.names:
            raise KeyError(f"{name} is already registered")
        self.names[name] = value

    def unregister(self, name):
        del self.names[name]
