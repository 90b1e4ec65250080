import unittest

import pytest

import fixtureproj

SHARED = fixtureproj.Counter()
REGISTRY = fixtureproj.Registry()
LOG = []


def test_scales():
    assert fixtureproj.checksum(3000) == fixtureproj.checksum(3000)


def test_contends():
    before = SHARED.value
    SHARED.add(200)
    assert SHARED.value >= before + 200


def test_not_thread_safe():
    # Passes alone; two threads at once collide on the one name.
    REGISTRY.register("job", object())
    for _ in range(200):
        pass
    REGISTRY.unregister("job")


class ChecksumCase(unittest.TestCase):
    def setUp(self):
        self.n = 2000

    def test_unittest_style(self):
        self.assertEqual(fixtureproj.checksum(self.n), fixtureproj.checksum(self.n))


@pytest.mark.thread_unsafe(reason="writes one module-level list")
def test_marked_thread_unsafe():
    LOG.append(1)
    assert LOG
