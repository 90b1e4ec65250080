"""A minimal workload used by the tests: each batch sums range(n) per item.

FTLAB_TINY_SCALE in the environment multiplies n: a real slowdown an environment setting makes.
"""

import os


class Tiny:
    def __init__(self, variant, threads, params, seed):
        self.n = int(params["n"]) * int(os.environ.get("FTLAB_TINY_SCALE", "1"))
        self.done = [0] * threads
        self.sums = [0] * threads

    def prepare(self):
        pass

    def run(self, thread_index, batch):
        for _ in range(batch):
            self.sums[thread_index] += sum(range(self.n))
        self.done[thread_index] += batch
        return batch

    def verify(self):
        expected = sum(self.done) * (self.n * (self.n - 1) // 2)
        got = sum(self.sums)
        return got == expected, str(got), str(expected)


def create(variant, threads, params, seed):
    return Tiny(variant, threads, params, seed)
