"""Servers from PyPI serving a WSGI or ASGI app inside the harness process (PROTOCOL.md,
"Server workloads"): waitress, gunicorn's gthread worker and uvicorn.

Each runs in-process on threads of its own so the harness can pin and count them like the
stdlib designs: a thread enters a worker slot (pinned to the slot's CPU, its own counter) the
first time it runs the app; a server's own I/O thread enters slot 0 and serves none.

- waitress: one asyncore I/O thread plus `threads=N` app threads.
- gunicorn gthread: one worker with N threads, run in this process without gunicorn's arbiter
  (with one worker the arbiter only watches it; it never touches a request).
- uvicorn: N event loops on N threads, one SO_REUSEPORT listening socket each (1 thread = the
  usual single uvicorn process), HTTP by h11 (pure Python).

granian (Rust HTTP) is the exception: its public API (`Granian(...).serve()`) runs its own
supervisor, which wants the main thread and on the GIL build forks its worker process, so it
serves from a child process (granian_app.py) and reports what its app threads served through a
shared table (`SharedTable`) that the harness reads like its own counters.
"""

import asyncio
import mmap
import os
import socket
import sys
import threading
import time


class SlotCounters:
    """Gives each server thread that runs the app a worker slot, round-robin in order of first
    arrival, and returns its counter (pinning it on arrival)."""

    def __init__(self, slots):
        self.slots = slots
        self.local = threading.local()
        self.lock = threading.Lock()
        self.next = 0

    def bind(self, slot):
        """The calling thread works for `slot` from now on."""
        self.local.counter = self.slots.enter(slot)
        return self.local.counter

    def counter(self):
        counter = getattr(self.local, "counter", None)
        if counter is None:
            with self.lock:
                slot = self.next % self.slots.count
                self.next += 1
            counter = self.bind(slot)
        return counter


def counted_wsgi(app, counters):
    """`app` counting each request it answers on the calling thread's slot."""
    def counted(environ, start_response):
        counter = counters.counter()
        result = app(environ, start_response)
        counter.served += 1
        return result
    return counted


def counted_asgi(app, counters):
    """`app` counting each HTTP request it answers (lifespan events are passed through)."""
    async def counted(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        counter = counters.counter()
        await app(scope, receive, send)
        counter.served += 1
    return counted


def listening_socket(host, port, reuse_port=False):
    """A listening TCP socket whose accepted connections have Nagle off (Linux copies
    TCP_NODELAY to them): gunicorn and uvicorn write head and body in separate sends, and
    with Nagle on every response would wait for the client's delayed ACK (DESIGN.md 9)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


class Waitress:
    interface = "wsgi"

    def start(self, app, host, port, slots, counters):
        from waitress.server import create_server
        self.server = create_server(counted_wsgi(app, counters), host=host, port=port, threads=slots.count,
                                    backlog=128, connection_limit=1000, channel_timeout=120,
                                    ident="ftlab-waitress")
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, args=(slots,), name="waitress-io")
        self.thread.start()
        return int(self.server.effective_port)  # waitress may give it as a string

    def _loop(self, slots):
        slots.enter(0)  # the I/O thread: pinned with worker 0, it runs no app code
        from waitress import wasyncore
        while not self.stopping.is_set():
            wasyncore.loop(timeout=0.05, map=self.server._map, use_poll=True, count=1)

    def stop(self):
        self.stopping.set()
        self.thread.join()
        self.server.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        for channel in list(self.server._map.values()):
            channel.close()


class GunicornGthread:
    interface = "wsgi"

    def start(self, app, host, port, slots, counters):
        import os
        import selectors
        from gunicorn.config import Config
        from gunicorn.glogging import Logger
        from gunicorn.workers.gthread import ThreadWorker
        cfg = Config()
        cfg.set("worker_class", "gthread")
        cfg.set("threads", slots.count)
        cfg.set("workers", 1)
        cfg.set("keepalive", 120)
        cfg.set("accesslog", None)
        cfg.set("loglevel", "warning")
        self.listener = listening_socket(host, port)
        self.listener.setblocking(False)
        self.worker = ThreadWorker(1, os.getppid(), [self.listener], None, 120, cfg, Logger(cfg))
        # What init_process does, less the signal handlers (this is not the main thread) and
        # the app loading (the app is given).
        self.worker.wsgi = counted_wsgi(app, counters)
        self.worker.tpool = self.worker.get_thread_pool()
        self.worker.poller = selectors.DefaultSelector()
        self.worker.method_queue.init()
        self.thread = threading.Thread(target=self._run, args=(slots,), name="gunicorn-worker")
        self.thread.start()
        return self.listener.getsockname()[1]

    def _run(self, slots):
        slots.enter(0)  # the worker's poller thread: pinned with worker 0, it runs no app code
        self.worker.run()

    def stop(self):
        self.worker.alive = False
        self.worker.method_queue.defer(lambda: None)
        self.thread.join()


class Uvicorn:
    interface = "asgi"

    def start(self, app, host, port, slots, counters):
        import uvicorn
        self.servers, self.threads = [], []
        ready = []
        for index in range(slots.count):
            sock = listening_socket(host, port, reuse_port=True)
            port = sock.getsockname()[1]  # the first binds an ephemeral port; the rest join it
            config = uvicorn.Config(counted_asgi(app, counters), http="h11", loop="asyncio", lifespan="off",
                                    log_level="warning", access_log=False, timeout_keep_alive=120)
            server = uvicorn.Server(config)
            event = threading.Event()
            self.servers.append(server)
            ready.append(event)
            self.threads.append(threading.Thread(target=self._run, args=(server, sock, index, counters, event),
                                                 name=f"uvicorn-{index}"))
        for thread in self.threads:
            thread.start()
        for event in ready:
            if not event.wait(30):
                raise RuntimeError("a uvicorn event loop did not start within 30 s")
        return port

    @staticmethod
    def _run(server, sock, index, counters, ready):
        counters.bind(index)

        async def serve():
            task = asyncio.ensure_future(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.01)
            ready.set()
            await task
        asyncio.run(serve())

    def stop(self):
        for server in self.servers:
            server.should_exit = True
        for thread in self.threads:
            thread.join()


def listens(pid, port):
    """Whether process `pid` holds a TCP socket listening on `port` (/proc/net/tcp{,6} and its
    fds): a connect would also succeed on another program's socket."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(f"socket:[{fields[9]}]")
        except OSError:
            pass
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                return True
        except OSError:
            pass
    return False


class SharedTable:
    """A file-backed table of 64-bit words shared by the harness and granian's worker process.

    Header: ready (1 once the app is built), the pid of the process running the app, and
    whether the GIL was on there (1/0). Then one record per app thread: slot + 1, pid, native
    thread id, requests served. A record is claimed once and written only by its thread."""

    HEADER = 4
    RECORD = 4
    RECORDS = 1024

    def __init__(self, path, create=False):
        size = 8 * (self.HEADER + self.RECORD * self.RECORDS)
        with open(path, "w+b" if create else "r+b") as f:
            if create:
                f.truncate(size)
            self.map = mmap.mmap(f.fileno(), size)
        self.words = memoryview(self.map).cast("q")

    def records(self):
        """[(slot, pid, native thread id, served)] of the claimed records."""
        rows = []
        for index in range(self.RECORDS):
            base = self.HEADER + index * self.RECORD
            slot = self.words[base]
            if slot == 0:
                break
            rows.append((slot - 1, self.words[base + 1], self.words[base + 2], self.words[base + 3]))
        return rows


class SharedCounter:
    """One app thread's record: `served += 1` writes its word of the table."""

    __slots__ = ("words", "index")

    def __init__(self, words, index):
        self.words = words
        self.index = index

    @property
    def served(self):
        return self.words[self.index]

    @served.setter
    def served(self, value):
        self.words[self.index] = value


class SharedSlotCounters:
    """SlotCounters for granian's worker process: an app thread takes the next slot round-robin
    on its first request, pins itself to the slot's CPU and claims a record of the table."""

    def __init__(self, table, count, cpus):
        self.table, self.count, self.cpus = table, count, cpus
        self.local = threading.local()
        self.lock = threading.Lock()
        self.next = 0

    def counter(self):
        counter = getattr(self.local, "counter", None)
        if counter is None:
            with self.lock:
                index, self.next = self.next, self.next + 1
            if index >= SharedTable.RECORDS:
                raise RuntimeError(f"more than {SharedTable.RECORDS} granian threads ran the app")
            slot = index % self.count
            if self.cpus:
                os.sched_setaffinity(0, {self.cpus[slot]})
            words, base = self.table.words, SharedTable.HEADER + index * SharedTable.RECORD
            words[base + 1], words[base + 2] = os.getpid(), threading.get_native_id()
            words[base] = slot + 1  # last: the harness reads only complete records
            counter = self.local.counter = SharedCounter(words, base + 3)
        return counter


class Granian:
    """granian with one worker, run by its own Python API in a child process (granian_app.py):
    WSGI with N blocking threads running the app; ASGI with one event loop running the app and
    N Rust runtime threads (granian runs ASGI apps on one loop per worker). The child is
    pinned to the configuration's CPUs (granian's Rust threads, and on the GIL build its
    worker process, inherit that); each app thread pins itself to its slot's CPU."""

    STARTUP_S = 25
    STOP_S = 3

    def __init__(self, interface):
        self.interface = interface
        self.params, self.seed = {}, 0

    def start(self, app, host, port, slots, counters):
        import json
        import subprocess
        import tempfile
        self.folder = tempfile.mkdtemp(prefix="ftlab-granian-")
        table_path = os.path.join(self.folder, "table")
        self.table = SharedTable(table_path, create=True)
        if port == 0:
            with socket.socket() as probe:  # granian does not report an ephemeral port
                probe.bind((host, 0))
                port = probe.getsockname()[1]
        config = {"interface": self.interface, "host": host, "port": port, "threads": slots.count,
                  "cpus": slots.cpus, "table": table_path, "params": self.params, "seed": self.seed}
        self.log = open(os.path.join(self.folder, "granian.log"), "w+b")
        here = os.path.dirname(os.path.abspath(__file__))
        self.child = subprocess.Popen([sys.executable, os.path.join(here, "granian_app.py")],
                                      env=dict(os.environ, FTLAB_GRANIAN=json.dumps(config),
                                               RUST_BACKTRACE="0"),  # a panic's message, not its frames
                                      stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready(host, port)
        slots.remote = self
        return port

    def _wait_ready(self, host, port):
        deadline = time.monotonic() + self.STARTUP_S
        while time.monotonic() < deadline:
            if self.child.poll() is not None:
                self._fail(f"granian exited with status {self.child.returncode} before serving")
            if self.table.words[0] == 1 and listens(self.child.pid, port):
                return
            time.sleep(0.02)
        self._fail(f"granian did not serve on {host}:{port} within {self.STARTUP_S} s")

    def _fail(self, why):
        self._end()
        raise RuntimeError(f"{why}; its last output:\n{self.output_tail()}")

    def output_tail(self, lines=30):
        self.log.flush()
        self.log.seek(0)
        return "\n".join(self.log.read().decode("utf-8", "replace").splitlines()[-lines:])

    def members(self):
        return self.table.records()

    def processes(self):
        worker = self.table.words[1]
        return [self.child.pid] + ([worker] if worker and worker != self.child.pid else [])

    def gil_enabled(self):
        return bool(self.table.words[2])

    def died(self):
        """granian's exit status when it ended before `stop`, else None."""
        return self.child.poll()

    def _end(self):
        """granian's own shutdown (SIGINT), cut short after STOP_S: the harness owes the runner
        its `bye` within seconds, and granian may wait on the client's idle keep-alive
        connections (the counts are already in the table)."""
        import signal
        import subprocess
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGINT)
            try:
                self.child.wait(self.STOP_S)
            except subprocess.TimeoutExpired:
                worker = self.table.words[1]
                if worker and worker != self.child.pid:  # the GIL build's worker process
                    try:
                        os.kill(worker, signal.SIGKILL)
                    except OSError:
                        pass
                self.child.kill()
                self.child.wait()

    def stop(self):
        import shutil
        self.exit_status = self.died()
        self._end()
        shutil.rmtree(self.folder, ignore_errors=True)  # the log stays open for output_tail()


SERVERS = {"waitress": Waitress, "gunicorn": GunicornGthread, "uvicorn": Uvicorn,
           "granian-wsgi": lambda: Granian("wsgi"), "granian-asgi": lambda: Granian("asgi")}
