"""handoff: work handed between threads, each item verified handled exactly once.

An item is an integer x; handling it means summing the squares of x, x+1, ..., x+work-1
(`job`), whose exact value verify() recomputes in closed form. One op is one handoff (one
queue item, one round trip, one pool checkout, one offloaded job) of `size` items.

- queue: the main thread (coordinator) puts threads * batch lists of `size` fresh items on a
  queue.Queue(maxsize=4 * threads), then one end marker per consumer; the workers consume.
  Every item is marked in a bytearray when consumed; end_sample requires each mark to be 1.
Items of one worker (ping-pong, semaphore-pool, asyncio-per-thread) are c * threads + i for
its count c, so every thread's integers stay as small as every other's.
- event-ping-pong / condition-ping-pong: worker i starts its own partner thread on its first
  batch (a thread inherits its creator's CPU affinity, so the partner shares worker i's CPU);
  per op the worker hands a request of `size` items and waits for the partner's answer, the
  sum of their jobs, which it checks.
- semaphore-pool: `slots` connections in a list behind a BoundedSemaphore(slots); per op a
  worker acquires, pops a connection (an empty list would mean the bound failed), runs `size`
  jobs on it, counts the use on the connection, appends it back and releases.
- asyncio-to-thread: one event loop on the main thread (coordinator) runs threads * batch
  jobs through asyncio.to_thread, at most 2 * threads in flight, on a ThreadPoolExecutor of
  `threads` threads, each pinned to one of the process's CPUs; the harness's pinned workers
  only wait and report what executor thread i did (as lockbench's do).
- asyncio-per-thread: worker i runs its own event loop: batch tasks, each yielding once
  (await asyncio.sleep(0)) and then running its `size` jobs inline.
"""

import asyncio
import concurrent.futures
import os
import queue
import threading

QUEUE_ITEMS_PER_CONSUMER = 4


def create(variant, threads, params, seed):
    """The workload object for `variant` (see workload.toml); refuses bad params."""
    variants = {"queue": QueueHandoff, "event-ping-pong": EventPingPong,
                "condition-ping-pong": ConditionPingPong, "semaphore-pool": SemaphorePool,
                "asyncio-to-thread": AsyncioToThread, "asyncio-per-thread": AsyncioPerThread}
    if variant not in variants:
        raise ValueError(f"unknown variant {variant!r}")
    values = {name: positive(params, name) for name in ("size", "slots", "work")}
    return variants[variant](threads, **values)


def positive(params, name):
    value = params[name]
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"param {name!r} must be a positive integer (a handoff of at least "
                         f"one item), not {value!r}")
    return int(value)


def squares(n):
    """0^2 + 1^2 + ... + (n-1)^2."""
    return (n - 1) * n * (2 * n - 1) // 6


class Handoff:
    def __init__(self, threads, size, slots, work):
        self.threads, self.size, self.slots, self.work = threads, size, slots, work
        self.handled = [0] * threads   # items each thread (or executor thread) handled
        self.totals = [0] * threads    # the sum of their jobs
        self.problems = []
        self.items = [0] * threads     # for expected(): the items each thread handed off
        self.given = [0] * threads

    def prepare(self):
        pass

    def job(self, x):
        total = 0
        for y in range(x, x + self.work):
            total += y * y
        return total

    def verify(self):
        got = sum(self.totals)
        want = self.expected()
        problems = list(self.problems)
        if got != want:
            problems.append(f"the jobs summed to {got}, expected {want}")
        return not problems, str(got), str(want), "; ".join(problems[:5])


def sum_shifted(first, count, w):
    """sum of job(x) = sum_{y=x}^{x+w-1} y^2 over x = first .. first+count-1, in closed form:
    job(x) = squares(x + w) - squares(x), and S(n) = sum_{x<n} squares(x)."""
    return (S(first + count + w) - S(first + w)) - (S(first + count) - S(first))


def sum_strided(first, stride, count, w):
    """sum of job(x) over x = first + c * stride, c = 0 .. count-1, in closed form:
    job(x) = w x^2 + w (w-1) x + squares(w)."""
    n = count
    sx = n * first + stride * n * (n - 1) // 2
    sxx = n * first * first + first * stride * n * (n - 1) + stride * stride * (n - 1) * n * (2 * n - 1) // 6
    return w * sxx + w * (w - 1) * sx + n * squares(w)


def S(n):
    """sum_{x=0}^{n-1} squares(x) = n (n-1)^2 (n-2) / 12."""
    return n * (n - 1) ** 2 * (n - 2) // 12


class QueueHandoff(Handoff):
    def prepare(self):
        self.inbox = queue.Queue(maxsize=QUEUE_ITEMS_PER_CONSUMER * self.threads)
        self.fed = 0           # items handed off so far
        self.sample_first = 0

    def begin_sample(self, batch):
        self.sample_first = self.fed
        self.marks = bytearray(batch * self.threads * self.size)

    def coordinator(self, batch):
        put, size, x = self.inbox.put, self.size, self.fed
        for _ in range(batch * self.threads):
            put(list(range(x, x + size)))
            x += size
        self.fed = x
        for _ in range(self.threads):
            put(None)

    def run(self, index, batch):
        get, job, marks, base = self.inbox.get, self.job, self.marks, self.sample_first
        handoffs, items, total = 0, 0, 0
        while (chunk := get()) is not None:
            for x in chunk:
                total += job(x)
                marks[x - base] += 1
            handoffs += 1
            items += len(chunk)
        self.totals[index] += total
        self.handled[index] += items
        return handoffs

    def end_sample(self):
        if self.marks.count(1) != len(self.marks):
            self.problems.append(f"items {self.sample_first}..{self.fed - 1}: "
                                 f"{self.marks.count(0)} never consumed, "
                                 f"{len(self.marks) - self.marks.count(0) - self.marks.count(1)} consumed more than once")

    def expected(self):
        return sum_shifted(0, self.fed, self.work)


class PingPong(Handoff):
    """Worker i and its partner thread; worker i's items are c * threads + i for its count c
    (small for every thread, so none does costlier integer arithmetic than another)."""

    def prepare(self):
        self.partners = [None] * self.threads
        self.stop = False

    def run(self, index, batch):
        if self.partners[index] is None:
            self.partners[index] = self.start_partner(index)
        ask, stride = self.ask, self.threads
        size, c, total = self.size, self.items[index], 0
        for _ in range(batch):
            total += ask(index, c * stride + index)
            c += size
        self.items[index] += batch * size
        self.totals[index] += total
        return batch

    def answer(self, x):
        """x is the first of `size` items of the asking worker: x, x + threads, ..."""
        return sum(self.job(y) for y in range(x, x + self.size * self.threads, self.threads))

    def expected(self):
        return sum(sum_strided(i, self.threads, n, self.work) for i, n in enumerate(self.items))

    def cleanup(self):
        self.stop = True
        for i, partner in enumerate(self.partners or []):
            if partner is not None:
                self.wake(i)
                partner.join(timeout=10)


class EventPingPong(PingPong):
    def start_partner(self, index):
        state = self.state = getattr(self, "state", [None] * self.threads)
        state[index] = [threading.Event(), threading.Event(), None]
        partner = threading.Thread(target=self.serve, args=(state[index],), daemon=True,
                                   name=f"partner-{index}")
        partner.start()
        return partner

    def ask(self, index, x):
        ping, pong, _ = slot = self.state[index]
        slot[2] = x
        ping.set()
        pong.wait()
        pong.clear()
        return slot[2]

    def serve(self, slot):
        ping, pong, _ = slot
        while True:
            ping.wait()
            ping.clear()
            if self.stop:
                return
            slot[2] = self.answer(slot[2])
            pong.set()

    def wake(self, index):
        self.state[index][0].set()


class ConditionPingPong(PingPong):
    def start_partner(self, index):
        state = self.state = getattr(self, "state", [None] * self.threads)
        state[index] = [threading.Condition(), None, None]  # condition, request, answer
        partner = threading.Thread(target=self.serve, args=(state[index],), daemon=True,
                                   name=f"partner-{index}")
        partner.start()
        return partner

    def ask(self, index, x):
        slot = self.state[index]
        cond = slot[0]
        with cond:
            slot[1], slot[2] = x, None
            cond.notify()
            while slot[2] is None:
                cond.wait()
            return slot[2]

    def serve(self, slot):
        cond = slot[0]
        with cond:
            while True:
                while slot[1] is None and not self.stop:
                    cond.wait()
                if self.stop:
                    return
                slot[2], slot[1] = self.answer(slot[1]), None
                cond.notify()

    def wake(self, index):
        slot = self.state[index]
        with slot[0]:
            slot[0].notify()


class SemaphorePool(Handoff):
    def prepare(self):
        self.bound = threading.BoundedSemaphore(self.slots)
        self.pool = [[c, 0] for c in range(self.slots)]  # [connection id, uses]

    def run(self, index, batch):
        acquire, release, pool, job, size = self.bound.acquire, self.bound.release, self.pool, self.job, self.size
        stride = self.threads
        x, total = self.items[index] * stride + index, 0
        for _ in range(batch):
            acquire()
            try:
                connection = pool.pop()
            except IndexError:
                self.problems.append(f"thread {index}: the semaphore let a thread in with no connection left")
                release()
                continue
            for y in range(x, x + size * stride, stride):
                total += job(y)
            connection[1] += 1
            pool.append(connection)
            release()
            x += size * stride
        self.items[index] += batch * size
        self.totals[index] += total
        self.given[index] += batch
        return batch

    def expected(self):
        return sum(sum_strided(i, self.threads, n, self.work) for i, n in enumerate(self.items))

    def verify(self):
        if len(self.pool) != self.slots or sorted(c for c, _ in self.pool) != list(range(self.slots)):
            self.problems.append(f"the pool holds {sorted(c for c, _ in self.pool)} after the run")
        uses = sum(u for _, u in self.pool)
        if uses != sum(self.given):
            self.problems.append(f"connections counted {uses} uses for {sum(self.given)} checkouts")
        return super().verify()


class AsyncioToThread(Handoff):
    def prepare(self):
        self.cpus = sorted(os.sched_getaffinity(0))
        self.next_slot = 0
        self.slot_lock = threading.Lock()
        self.local = threading.local()
        self.done = threading.Event()
        self.counts = [0] * self.threads      # jobs each executor thread ran
        self.reported = [0] * self.threads
        self.fed = 0
        self.loop = asyncio.new_event_loop()
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.threads, thread_name_prefix="offload", initializer=self.pin)
        self.loop.set_default_executor(self.executor)

    def pin(self):
        with self.slot_lock:
            slot = self.next_slot
            self.next_slot += 1
        self.local.slot = slot
        os.sched_setaffinity(0, {self.cpus[slot % len(self.cpus)]})

    def offloaded(self, x):
        total = sum(self.job(y) for y in range(x, x + self.size))
        slot = self.local.slot
        self.counts[slot] += 1
        self.totals[slot] += total
        return total

    async def offload(self, count):
        to_thread, size, x = asyncio.to_thread, self.size, self.fed
        window = 2 * self.threads
        results = 0
        for first in range(0, count, window):
            n = min(window, count - first)
            answers = await asyncio.gather(*(to_thread(self.offloaded, x + j * size) for j in range(n)))
            results += len(answers)
            x += n * size
        self.fed = x
        return results

    def begin_sample(self, batch):
        self.done.clear()

    def coordinator(self, batch):
        self.loop.run_until_complete(self.offload(batch * self.threads))
        self.done.set()

    def run(self, index, batch):
        self.done.wait()
        ran = self.counts[index] - self.reported[index]
        self.reported[index] = self.counts[index]
        return ran

    def expected(self):
        return sum_shifted(0, self.fed, self.work)

    def verify(self):
        if sum(self.counts) * self.size != self.fed:
            self.problems.append(f"{sum(self.counts)} jobs ran for {self.fed // self.size} offloaded")
        return super().verify()

    def cleanup(self):
        self.executor.shutdown(wait=True)
        self.loop.close()


class AsyncioPerThread(Handoff):
    def prepare(self):
        self.loops = [None] * self.threads

    async def task(self, x):
        await asyncio.sleep(0)
        return sum(self.job(y) for y in range(x, x + self.size * self.threads, self.threads))

    async def batch_of_tasks(self, index, batch):
        size, stride = self.size, self.threads
        c, window, total = self.items[index], 64, 0
        for first in range(0, batch, window):
            n = min(window, batch - first)
            total += sum(await asyncio.gather(*(self.task((c + j * size) * stride + index) for j in range(n))))
            c += n * size
        return total

    def run(self, index, batch):
        if self.loops[index] is None:
            self.loops[index] = asyncio.new_event_loop()
        self.totals[index] += self.loops[index].run_until_complete(self.batch_of_tasks(index, batch))
        self.items[index] += batch * self.size
        return batch

    def expected(self):
        return sum(sum_strided(i, self.threads, n, self.work) for i, n in enumerate(self.items))

    def cleanup(self):
        for loop in self.loops or []:
            if loop is not None:
                loop.close()
