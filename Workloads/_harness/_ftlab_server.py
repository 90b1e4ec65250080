"""Server mode of the harness: start a server workload, report its port, then answer the
runner's commands on stdin until `stop` (PROTOCOL.md, "Server workloads").

The runner, not the harness, sends the requests; the harness only counts what was served,
takes the process's rusage when asked, and checks its count against the client's at the end.
"""

import os
import resource
import sys
import threading
import zlib

from _ftlab_proc import current_cpu, peak_rss_kib, process_times
from _ftlab_protocol import message
from _ftlab_report import bye

HOST = "127.0.0.1"


class Counter:
    """Requests answered by one server thread; only that thread writes it."""

    __slots__ = ("served",)

    def __init__(self):
        self.served = 0


class WorkerSlots:
    """The N planned worker threads of a server. A server thread calls `enter(i)` when it
    starts working for slot i: it is pinned to the slot's CPU and gets its own counter."""

    def __init__(self, count, cpus):
        self.count = count
        self.cpus = cpus
        self.lock = threading.Lock()
        self.members = []  # (slot, native thread id, Counter)
        self.seen = [set() for _ in range(count)]
        self.allowed = [[] for _ in range(count)]
        # A server whose worker threads run in processes of its own (granian) sets `remote`:
        # an object with `members()` -> [(slot, pid, native thread id, served)] and
        # `processes()` -> [pid]. Their threads are counted and observed like local ones.
        self.remote = None
        self.remote_rss = {}  # pid -> peak RSS in KiB, as last seen

    def enter(self, slot):
        """Pin the calling thread to slot `slot`'s CPU (when pinning) and return its counter."""
        if not 0 <= slot < self.count:
            raise ValueError(f"worker slot {slot} out of range 0..{self.count - 1}")
        if self.cpus:
            try:
                os.sched_setaffinity(0, {self.cpus[slot]})
            except OSError as exc:
                raise OSError(exc.errno, f"cannot pin a thread of worker {slot} to CPU "
                                         f"{self.cpus[slot]}: {exc.strerror}") from None
        counter = Counter()
        with self.lock:
            self.members.append((slot, threading.get_native_id(), counter))
            self.allowed[slot] = sorted(set(self.allowed[slot]) | os.sched_getaffinity(0))
        return counter

    def served(self):
        """Requests answered so far, per slot."""
        per_slot = [0] * self.count
        with self.lock:
            members = list(self.members)
        for slot, _, counter in members:
            per_slot[slot] += counter.served
        if self.remote is not None:
            for slot, _, _, served in self.remote.members():
                per_slot[slot] += served
        return per_slot

    def observe(self):
        """Record the CPU each live server thread last ran on."""
        with self.lock:
            members = list(self.members)
        for slot, native_id, _ in members:
            try:
                self.seen[slot].add(current_cpu(native_id))
            except OSError:  # the thread has ended
                pass
        if self.remote is None:
            return
        for slot, pid, native_id, _ in self.remote.members():
            try:
                self.seen[slot].add(current_cpu(native_id, pid))
                allowed = os.sched_getaffinity(native_id)
            except OSError:  # the thread or its process has ended
                continue
            with self.lock:
                self.allowed[slot] = sorted(set(self.allowed[slot]) | allowed)
        for pid in self.remote.processes():
            try:
                self.remote_rss[pid] = peak_rss_kib(pid)
            except OSError:
                pass


def request_mix(instance):
    """What the load generator sends and checks: each target with its expected body's
    length and CRC-32, computed by the workload apart from the serving path. A workload with
    `checks()` gives the entries itself (status other than 200, `crc32` None: not checked)."""
    checks = getattr(instance, "checks", None)
    if checks is not None:
        return [dict(entry) for entry in checks()]
    mix = []
    for target in instance.requests():
        body = instance.expected(target)
        mix.append({"target": target, "status": 200, "length": len(body),
                    "crc32": zlib.crc32(body)})
    return mix


def usage(slots):
    """The `usage` reply: cumulative served counts and process rusage."""
    slots.observe()
    served = slots.served()
    now = resource.getrusage(resource.RUSAGE_SELF)
    user, system, voluntary, involuntary = now.ru_utime, now.ru_stime, now.ru_nvcsw, now.ru_nivcsw
    if slots.remote is not None:  # the server's own processes: their time is the server's
        for pid in slots.remote.processes():
            try:
                times = process_times(pid)
            except OSError:
                continue
            user, system = user + times[0], system + times[1]
            voluntary, involuntary = voluntary + times[2], involuntary + times[3]
    return message("usage", served=sum(served), per_thread_served=served,
                   cpu_user_s=round(user, 6), cpu_sys_s=round(system, 6),
                   ctx_voluntary=voluntary, ctx_involuntary=involuntary)


def read_commands(channel, slots, usage_error):
    """Answer `usage` until `stop [RESPONSES ABANDONED]` or end of input; returns the client's
    (responses, abandoned) when it sent them, else None."""
    while True:
        line = sys.stdin.buffer.readline()
        words = line.decode("ascii", "replace").split()
        if not words:
            if not line:
                return None  # end of input: the runner is gone
            continue
        if words == ["usage"]:
            channel.send(usage(slots))
        elif words[0] == "stop" and len(words) in (1, 3):
            if len(words) == 1:
                return None
            try:
                responses, abandoned = int(words[1]), int(words[2])
            except ValueError:
                raise usage_error(f"bad stop command {line!r}") from None
            return responses, abandoned
        else:
            raise usage_error(f"unknown command {line!r}; expected `usage` or `stop`")


def serve(channel, args, instance, usage_error):
    """Run a server workload to the end of its conversation; returns the exit status."""
    slots = WorkerSlots(args.threads, args.cpus)
    mix = request_mix(instance)
    host = getattr(args, "host", HOST)
    port = instance.start(host, args.port, slots)
    channel.send(message("listening", host=host, port=port, requests=mix))
    client = read_commands(channel, slots, usage_error)
    slots.observe()
    instance.stop()
    served = sum(slots.served())
    ok, checksum, expected = instance.verify()
    text = "" if ok else "the workload's own check failed (see stderr)"
    if ok:
        checksum = f"{served} served"
        expected = ""
        if client is not None:
            responses, abandoned = client
            ok = responses <= served <= responses + abandoned
            expected = f"{responses} answered" + (f" + up to {abandoned} abandoned" if abandoned else "")
            if not ok:
                text = (f"the server counted {served} requests served but the client received "
                        f"{responses} responses and abandoned {abandoned} requests")
    channel.send(bye(bool(ok), str(checksum), str(expected), text, [sorted(cpus) for cpus in slots.seen],
                     slots.allowed, other_rss_kib=sum(slots.remote_rss.values())))
    return 0 if ok else 3
