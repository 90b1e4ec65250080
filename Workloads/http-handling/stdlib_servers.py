"""The four stdlib server designs of http-handling, each serving the app (http_app.py) on threads
of its own for the harness (PROTOCOL.md, "Server module contract"): thread-per-connection,
thread-pool, asyncio (one loop) and asyncio-per-thread (a loop per thread)."""

import asyncio
import http.server
import selectors
import socket
import threading

from http_app import encode
from http_wire import MAX_HEAD, BadRequest, keeps_alive, parse_head, response


class Server:
    """What every design shares with the harness: the app, the mix, the verdict."""

    def __init__(self, app):
        self.app = app

    def prepare(self):
        self.app.prepare()

    def requests(self):
        return list(self.app.mix)

    def expected(self, target):
        return self.app.mix[target]

    def verify(self):
        """No handler raised; the served counts are checked by the harness against the client."""
        failures = len(self.app.failures)
        return failures == 0, f"{failures} handler errors", "0 handler errors"


# --- thread-per-connection: http.server.ThreadingHTTPServer ------------------------------

class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # head and body go out in separate sends (DESIGN.md 9)

    def do_GET(self):
        status, body = self.server.app.respond("GET", self.path)
        self.server.local.counter.served += 1
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """No access log line per request on stderr."""


class _ThreadingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's 5 drops a burst of connects

    def __init__(self, address, app, slots):
        self.app = app
        self.slots = slots
        self.local = threading.local()
        self.connections = 0
        super().__init__(address, _Handler)

    def process_request(self, request, client_address):
        """One thread per connection, pinned round-robin over the worker slots."""
        slot = self.connections % self.slots.count
        self.connections += 1
        threading.Thread(target=self._connection, args=(request, client_address, slot),
                         name=f"connection-{self.connections}", daemon=True).start()

    def _connection(self, request, client_address, slot):
        self.local.counter = self.slots.enter(slot)
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class ThreadPerConnection(Server):
    def start(self, host, port, slots):
        self.server = _ThreadingServer((host, port), self.app, slots)
        self.thread = threading.Thread(target=self._accept, args=(slots,), name="acceptor")
        self.thread.start()
        return self.server.server_address[1]

    def _accept(self, slots):
        slots.enter(0)  # pinned with worker 0; it accepts connections and serves none
        self.server.serve_forever(poll_interval=0.1)

    def stop(self):
        self.server.shutdown()
        self.thread.join()
        self.server.server_close()


# --- thread-pool: N workers accepting on one listening socket ----------------------------

class ThreadPool(Server):
    """Each worker accepts on the shared socket and serves the connections it accepted with its
    own selector (a worker that served one keep-alive connection at a time would leave the
    other connections waiting)."""

    def start(self, host, port, slots):
        self.listener = socket.create_server((host, port), backlog=128)
        self.listener.setblocking(False)
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._work, args=(i, slots), name=f"worker-{i}")
                        for i in range(slots.count)]
        for thread in self.threads:
            thread.start()
        return self.listener.getsockname()[1]

    def _work(self, index, slots):
        counter = slots.enter(index)
        selector = selectors.DefaultSelector()
        selector.register(self.listener, selectors.EVENT_READ, None)
        try:
            while not self.stopping.is_set():
                for key, _ in selector.select(timeout=0.1):
                    if key.data is None:
                        self._accept(selector)
                    elif not self._serve(key.fileobj, key.data, counter):
                        selector.unregister(key.fileobj)
                        key.fileobj.close()
        finally:
            for key in list(selector.get_map().values()):
                if key.data is not None:
                    key.fileobj.close()
            selector.close()

    def _accept(self, selector):
        try:
            conn, _ = self.listener.accept()
        except BlockingIOError:  # another worker took it
            return
        conn.setblocking(True)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        selector.register(conn, selectors.EVENT_READ, bytearray())

    def _serve(self, conn, buffer, counter):
        """Answer every complete request buffered on `conn`; False when the connection ends."""
        try:
            data = conn.recv(65536)
            if not data:
                return False
            buffer += data
            while (end := buffer.find(b"\r\n\r\n")) >= 0:
                try:
                    method, target, version, headers = parse_head(bytes(buffer[:end + 4]))
                    length = int(headers.get("content-length", "0"))
                except (BadRequest, ValueError):
                    conn.sendall(response(400, encode({"error": "bad request"}), False))
                    return False
                if len(buffer) < end + 4 + length:
                    return True  # the body is still on its way
                del buffer[:end + 4 + length]
                keep = keeps_alive(version, headers)
                status, body = self.app.respond(method, target)
                counter.served += 1
                conn.sendall(response(status, body, keep))
                if not keep:
                    return False
            if len(buffer) > MAX_HEAD:
                conn.sendall(response(431, encode({"error": "head too large"}), False))
                return False
            return True
        except OSError:  # reset by the peer
            return False

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()
        self.listener.close()


# --- asyncio: event loops on threads ------------------------------------------------------

class _Loops(Server):
    """Event loop i runs on its own thread (worker slot i) and serves listening socket i."""

    def listeners(self, host, port, count):
        raise NotImplementedError

    def start(self, host, port, slots):
        sockets = self.listeners(host, port, slots.count)
        self.loops = [None] * slots.count
        ready = [threading.Event() for _ in sockets]
        self.threads = [threading.Thread(target=self._run, args=(i, sock, slots, ready[i]),
                                         name=f"loop-{i}") for i, sock in enumerate(sockets)]
        for thread in self.threads:
            thread.start()
        for event in ready:
            if not event.wait(30):
                raise RuntimeError("an event loop did not start within 30 s")
        return sockets[0].getsockname()[1]

    def _run(self, index, sock, slots, ready):
        counter = slots.enter(index)
        asyncio.run(self._serve(index, sock, counter, ready))

    async def _serve(self, index, sock, counter, ready):
        stop = asyncio.Event()
        self.loops[index] = (asyncio.get_running_loop(), stop)
        server = await asyncio.start_server(
            lambda reader, writer: self._client(reader, writer, counter), sock=sock)
        ready.set()
        await stop.wait()
        server.close()  # open connections are cancelled when asyncio.run returns

    async def _client(self, reader, writer, counter):
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                except asyncio.LimitOverrunError:
                    writer.write(response(431, encode({"error": "head too large"}), False))
                    return
                try:
                    method, target, version, headers = parse_head(head)
                    length = int(headers.get("content-length", "0"))
                except (BadRequest, ValueError):
                    writer.write(response(400, encode({"error": "bad request"}), False))
                    return
                if length:
                    await reader.readexactly(length)
                keep = keeps_alive(version, headers)
                status, body = self.app.respond(method, target)
                counter.served += 1
                writer.write(response(status, body, keep))
                await writer.drain()
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    def stop(self):
        for loop, stop in self.loops:
            loop.call_soon_threadsafe(stop.set)
        for thread in self.threads:
            thread.join()


class SingleLoop(_Loops):
    """asyncio: one event loop, one listening socket."""

    def listeners(self, host, port, count):
        return [socket.create_server((host, port), backlog=128)]


class LoopPerThread(_Loops):
    """asyncio-per-thread: N loops, each with its own SO_REUSEPORT socket on the same port (the
    kernel spreads new connections over them by a hash of the address pair)."""

    def listeners(self, host, port, count):
        sockets = []
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(128)
            port = sock.getsockname()[1]  # the first binds an ephemeral port; the rest join it
            sockets.append(sock)
        return sockets
