"""shared-state: generators, caches and dicts that every thread touches.

One op is one call: a draw, a cache hit, one counter update.
- random-shared: every thread calls random.random() (the random module's one Random
  instance, seeded in prepare) and adds int(value * 2**53), the draw's exact 53 bits, to its
  total. A draw is one call into the generator, so all threads' draws together are the
  seeded sequence's first draws in some order: verify() replays that many draws and needs
  the same sum and sum of squares.
- random-per-thread: thread i draws from its own random.Random(seed + i + 1); verify()
  replays each thread's sequence.
- lru-cache: price(key) behind one @functools.lru_cache(maxsize=2 * keys), every key cached in
  prepare; threads call price(k % keys). verify(): each thread's sum of the values returned
  matches the table, and cache_info() shows no miss after prepare and one hit per call.
- dict-shared / dict-per-thread: thread i counts key i * keys + (k % keys) for its calls k,
  d[key] = d.get(key, 0) + 1, in one dict shared by all threads or in its own. Each thread
  writes only its own keys, so no update is lost; verify() needs every count exact.
"""

import functools
import random
import threading

SCALE = float(1 << 53)


def create(variant, threads, params, seed):
    """The workload object for `variant` (see workload.toml); refuses bad params."""
    variants = {"random-shared": RandomShared, "random-per-thread": RandomPerThread,
                "lru-cache": LRUCache, "dict-shared": DictShared, "dict-per-thread": DictPerThread}
    if variant not in variants:
        raise ValueError(f"unknown variant {variant!r}")
    keys = params["keys"]
    if not keys.isdigit() or int(keys) < 1:
        raise ValueError(f"param 'keys' must be a positive integer, not {keys!r}")
    return variants[variant](threads, int(keys), seed)


class SharedState:
    def __init__(self, threads, keys, seed):
        self.threads, self.keys, self.seed = threads, keys, seed
        self.calls = [0] * threads
        self.sums = [0] * threads
        self.squares = [0] * threads

    def prepare(self):
        pass


def draw_sums(rng, count):
    """Sum and sum of squares of int(x * 2**53) over `count` draws of rng.random(): the work of
    a batch, and verify()'s replay of all of them."""
    total = squares = 0
    draw = rng.random
    for _ in range(count):
        v = int(draw() * SCALE)
        total += v
        squares += v * v
    return total, squares


class RandomShared(SharedState):
    def prepare(self):
        random.seed(self.seed)

    def run(self, index, batch):
        total, squares = draw_sums(random, batch)  # the module's one shared Random instance
        self.sums[index] += total
        self.squares[index] += squares
        self.calls[index] += batch
        return batch

    def verify(self):
        got = (sum(self.sums), sum(self.squares))
        want = draw_sums(random.Random(self.seed), sum(self.calls))
        detail = "" if got == want else (f"{sum(self.calls)} draws from the shared generator are not "
                                         f"its first {sum(self.calls)} values: a draw was lost or repeated")
        return got == want, str(got[0]), str(want[0]), detail


class RandomPerThread(SharedState):
    def prepare(self):
        self.rngs = [random.Random(self.seed + i + 1) for i in range(self.threads)]

    def run(self, index, batch):
        total, squares = draw_sums(self.rngs[index], batch)
        self.sums[index] += total
        self.squares[index] += squares
        self.calls[index] += batch
        return batch

    def verify(self):
        problems = []
        for i in range(self.threads):
            want = draw_sums(random.Random(self.seed + i + 1), self.calls[i])
            if (self.sums[i], self.squares[i]) != want:
                problems.append(f"thread {i}: its {self.calls[i]} draws are not its generator's first ones")
        want = sum(draw_sums(random.Random(self.seed + i + 1), self.calls[i])[0] for i in range(self.threads)) \
            if problems else sum(self.sums)
        return not problems, str(sum(self.sums)), str(want), "; ".join(problems)


def value(key):
    """What the cached function computes: a price in cents for an item."""
    return (key * 2654435761) % 100003 + 99


class LRUCache(SharedState):
    def prepare(self):
        @functools.lru_cache(maxsize=2 * self.keys)
        def price(key):
            return value(key)
        self.price = price
        for key in range(self.keys):
            price(key)
        self.table = [value(key) for key in range(self.keys)]

    def run(self, index, batch):
        price, keys, total = self.price, self.keys, 0
        first = self.calls[index]
        for k in range(first, first + batch):
            total += price(k % keys)
        self.sums[index] += total
        self.calls[index] = first + batch
        return batch

    def expected(self, n):
        """The sum of table[k % keys] for k < n."""
        whole, part = divmod(n, self.keys)
        return whole * sum(self.table) + sum(self.table[:part])

    def verify(self):
        problems = []
        for i in range(self.threads):
            if self.sums[i] != self.expected(self.calls[i]):
                problems.append(f"thread {i}: the cache returned wrong values")
        info = self.price.cache_info()
        if info.misses != self.keys or info.hits != sum(self.calls):
            problems.append(f"cache_info {info}: expected {self.keys} misses (prepare) and "
                            f"{sum(self.calls)} hits")
        want = sum(self.expected(n) for n in self.calls)
        return not problems, str(sum(self.sums)), str(want), "; ".join(problems)


class Counting(SharedState):
    def dict_of(self, index):
        raise NotImplementedError

    def run(self, index, batch):
        d, keys, base = self.dict_of(index), self.keys, index * self.keys
        first = self.calls[index]
        get = d.get
        for k in range(first, first + batch):
            key = base + k % keys
            d[key] = get(key, 0) + 1
        self.calls[index] = first + batch
        return batch

    def merged(self):
        raise NotImplementedError

    def verify(self):
        counts, problems = self.merged(), []
        for i, n in enumerate(self.calls):
            whole, part = divmod(n, self.keys)
            for j in range(self.keys):
                want = whole + (j < part)
                if counts.get(i * self.keys + j, 0) != want:
                    problems.append(f"thread {i} key {j}: count {counts.get(i * self.keys + j, 0)}, expected {want}")
                    break
        stray = len(counts) - sum(min(n, self.keys) for n in self.calls)
        if stray:
            problems.append(f"{stray} keys nobody counted")
        return not problems, str(sum(counts.values())), str(sum(self.calls)), "; ".join(problems)


class DictShared(Counting):
    def prepare(self):
        self.counts = {}

    def dict_of(self, index):
        return self.counts

    def merged(self):
        return self.counts


class DictPerThread(Counting):
    def prepare(self):
        self.counts = [{} for _ in range(self.threads)]

    def dict_of(self, index):
        return self.counts[index]

    def merged(self):
        out = {}
        for d in self.counts:
            out.update(d)
        return out
