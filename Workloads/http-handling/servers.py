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
"""

import asyncio
import socket
import threading


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


SERVERS = {"waitress": Waitress, "gunicorn": GunicornGthread, "uvicorn": Uvicorn}
