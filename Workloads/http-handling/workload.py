"""http-handling: a small JSON API over HTTP/1.1 keep-alive, served by four stdlib server
designs and by servers from PyPI (waitress, gunicorn gthread, uvicorn, granian; servers.py) running the
same API as a Flask or Starlette app (webapps.py) or the user's own app (userapp.py).

Routes (GET):
  /items?category=C&sort=price|rating|name&limit=L&offset=O   one page of a category
  /item/ID                                                    one item in full
  /search?tag=T&limit=L                                       items carrying a tag
  /report?category=C                                          every item of a category in full
                                                              (the large body, ~40 KB)
Anything else is 404; a bad query value is 400. Every response is computed per request from
the in-memory catalog (no response cache): route, parse the query, filter, sort, json.dumps.

prepare() also computes, single-threaded and without the HTTP path, the exact body each target
of the request mix must get; the load generator checks the responses against them.
A server workload (PROTOCOL.md, "Server workloads"): the harness calls start/stop, the
runner's load generator sends the requests.
"""

import asyncio
import email.utils
import http.server
import os
import json
import random
import selectors
import socket
import sys
import threading
import traceback
import urllib.parse
import zlib

SERVER_NAME = "ftlab-http-handling"
CATEGORIES = ["books", "garden", "kitchen", "music", "outdoor", "toys",
              "tools", "games", "office", "pets", "sports", "travel"]
TAGS = ["sale", "new", "eco", "gift", "bulk", "local", "premium", "classic",
        "kids", "pro", "mini", "smart"]
ADJECTIVES = ["red", "quiet", "sturdy", "tiny", "golden", "rapid", "soft", "bright", "humble", "grand"]
NOUNS = ["lamp", "kettle", "chair", "drum", "tent", "kite", "hammer", "puzzle", "stapler", "leash"]
SORTS = {"price": lambda item: (item["price_cents"], item["id"]),
         "rating": lambda item: (-item["rating"], item["id"]),
         "name": lambda item: (item["name"], item["id"])}
MIX_SIZE = 64  # distinct targets the load generator cycles through
MAX_HEAD = 64 * 1024
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
           431: "Request Header Fields Too Large", 500: "Internal Server Error"}


def create(variant, threads, params, seed):
    """The server object for `variant` (see workload.toml)."""
    servers = {"thread-per-connection": ThreadPerConnection, "thread-pool": ThreadPool,
               "asyncio": SingleLoop, "asyncio-per-thread": LoopPerThread}
    user_params = [name for name in ("app", "app_dir", "requests", "app_requirements") if params.get(name)]
    if variant in servers:
        if user_params:
            raise ValueError(f"--param {user_params[0]} is for the PyPI server variants (waitress, gunicorn, "
                             f"uvicorn, granian-wsgi, granian-asgi); {variant} serves the built-in stdlib handler")
        return servers[variant](App(int(params["products"]), seed))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import servers as pypi_servers
    if variant not in pypi_servers.SERVERS:
        raise ValueError(f"unknown variant {variant!r}")
    server = pypi_servers.SERVERS[variant]()
    server.params, server.seed = dict(params), seed  # granian builds the app again in its own process
    return AppServer(server, App(int(params["products"]), seed), params)


class Catalog:
    """The in-memory dataset: read-only once built, shared by every server thread."""

    def __init__(self, products, seed):
        rng = random.Random(seed)
        self.items = []
        for i in range(1, products + 1):
            self.items.append({
                "id": i,
                "name": f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i}",
                "category": rng.choice(CATEGORIES),
                "price_cents": rng.randrange(199, 99_999),
                "stock": rng.randrange(0, 500),
                "rating": round(rng.uniform(1, 5), 2),
                "tags": sorted(rng.sample(TAGS, 3)),
                "description": " ".join(rng.choice(ADJECTIVES + NOUNS) for _ in range(12)),
            })
        # Indexes, as a database would keep them: by id, by category in each sort order, by tag.
        self.by_id = {item["id"]: item for item in self.items}
        self.by_category = {name: [] for name in CATEGORIES}
        self.by_tag = {name: [] for name in TAGS}
        for item in self.items:
            self.by_category[item["category"]].append(item)
            for tag in item["tags"]:
                self.by_tag[tag].append(item)
        self.sorted = {(category, sort): sorted(items, key=key)
                       for category, items in self.by_category.items() for sort, key in SORTS.items()}

    def page(self, category, sort, limit, offset):
        chosen = self.sorted[(category, sort)]
        return {"category": category, "sort": sort, "total": len(chosen), "offset": offset,
                "items": [{"id": it["id"], "name": it["name"], "price_cents": it["price_cents"],
                           "rating": it["rating"]} for it in chosen[offset:offset + limit]]}

    def item(self, item_id):
        return self.by_id[item_id]

    def search(self, tag, limit):
        found = self.by_tag[tag]
        return {"tag": tag, "total": len(found),
                "items": [{"id": it["id"], "name": it["name"]} for it in found[:limit]]}

    def report(self, category):
        chosen = self.by_category[category]
        return {"category": category, "count": len(chosen),
                "stock": sum(it["stock"] for it in chosen),
                "mean_price_cents": sum(it["price_cents"] for it in chosen) // max(1, len(chosen)),
                "items": chosen}


class App:
    """Routing and response bodies, shared by every server design."""

    def __init__(self, products, seed):
        self.products = products
        self.seed = seed
        self.catalog = None
        self.mix = {}
        self.failures = []  # handler exceptions (list.append is thread-safe on both builds)

    def prepare(self):
        """Build the catalog and the request mix with each target's expected body."""
        self.catalog = Catalog(self.products, self.seed)
        rng = random.Random(self.seed + 1)
        for i in range(MIX_SIZE):
            kind = i % 32
            if kind < 12:
                category, sort = rng.choice(CATEGORIES), rng.choice(sorted(SORTS))
                limit, offset = rng.choice([10, 20, 50]), rng.choice([0, 0, 10, 40])
                target = f"/items?category={category}&sort={sort}&limit={limit}&offset={offset}"
                doc = self.catalog.page(category, sort, limit, offset)
            elif kind < 24:
                item_id = rng.randrange(1, self.products + 1)
                target, doc = f"/item/{item_id}", self.catalog.item(item_id)
            elif kind < 31:
                tag, limit = rng.choice(TAGS), rng.choice([5, 20])
                target, doc = f"/search?tag={tag}&limit={limit}", self.catalog.search(tag, limit)
            else:
                category = rng.choice(CATEGORIES)
                target, doc = f"/report?category={category}", self.catalog.report(category)
            self.mix[target] = encode(doc)

    def respond(self, method, target):
        """(status, body) for one request; a handler exception is recorded and answered 500."""
        try:
            return self._route(method, target)
        except Exception as exc:
            self.failures.append(f"{method} {target}: {type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
            return 500, encode({"error": "internal error"})

    def _route(self, method, target):
        if method != "GET":
            return 405, encode({"error": f"method {method} not allowed"})
        path, _, query = target.partition("?")
        args = urllib.parse.parse_qs(query)
        try:
            if path == "/items":
                category = one(args, "category")
                sort = one(args, "sort", "price")
                if category not in self.catalog.by_category or sort not in SORTS:
                    return 404, encode({"error": "no such category or sort"})
                doc = self.catalog.page(category, sort, int(one(args, "limit", "20")),
                                        int(one(args, "offset", "0")))
            elif path.startswith("/item/"):
                item_id = int(path[len("/item/"):])
                if item_id not in self.catalog.by_id:
                    return 404, encode({"error": f"no item {item_id}"})
                doc = self.catalog.item(item_id)
            elif path == "/search":
                tag = one(args, "tag")
                if tag not in self.catalog.by_tag:
                    return 404, encode({"error": f"no tag {tag}"})
                doc = self.catalog.search(tag, int(one(args, "limit", "20")))
            elif path == "/report":
                category = one(args, "category")
                if category not in self.catalog.by_category:
                    return 404, encode({"error": f"no category {category}"})
                doc = self.catalog.report(category)
            else:
                return 404, encode({"error": f"no route {path}"})
        except (KeyError, ValueError) as exc:
            return 400, encode({"error": f"bad query: {exc}"})
        return 200, encode(doc)


def one(args, name, default=None):
    """The single value of query parameter `name` (KeyError when missing and no default)."""
    values = args.get(name)
    if not values:
        if default is None:
            raise KeyError(name)
        return default
    return values[0]


def encode(doc):
    return json.dumps(doc).encode()


def response(status, body, keep_alive):
    """A complete HTTP/1.1 response, head and body in one buffer (one send: no Nagle wait)."""
    close = "" if keep_alive else "Connection: close\r\n"
    head = (f"HTTP/1.1 {status} {REASONS[status]}\r\nServer: {SERVER_NAME}\r\n"
            f"Date: {email.utils.formatdate(usegmt=True)}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{close}\r\n")
    return head.encode("latin-1") + body


class BadRequest(Exception):
    """A request head that is not HTTP/1.x."""


def parse_head(head):
    """(method, target, version, headers) from the bytes up to and including the blank line."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(lines[0][:100])
    headers = {}
    for line in lines[1:]:
        if line:
            name, sep, value = line.partition(":")
            if not sep:
                raise BadRequest(line[:100])
            headers[name.strip().lower()] = value.strip()
    return parts[0], parts[1], parts[2], headers


def keeps_alive(version, headers):
    connection = headers.get("connection", "").lower()
    return connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"


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


# --- servers from PyPI serving a WSGI/ASGI app (servers.py) ------------------------------

class AppServer(Server):
    """A PyPI server serving the default app (Flask for WSGI servers, Starlette for ASGI ones)
    or the user's own (`app`, `app_dir`, `requests` params; `app_requirements` is ftlab's: the
    venv it runs from)."""

    def __init__(self, server, app, params):
        super().__init__(app)
        self.server = server
        self.params = params
        self.web_app = None
        self.mix_checks = None
        self.failure = ""

    def check(self):
        """Load the app and the request file; ValueError naming the bad value (exit 2)."""
        import userapp
        if hasattr(self.server, "processes"):
            import granian._granian  # noqa: F401  what the server process imports, seen by the GIL watch
        spec, requests = self.params.get("app", ""), self.params.get("requests", "")
        if not spec:
            given = [name for name in ("requests", "app_dir", "app_requirements") if self.params.get(name)]
            if given:
                raise ValueError(f"--param {given[0]} goes with --param app=MODULE:CALLABLE (your own app)")
            self.app.prepare()
            import webapps
            make = webapps.flask_app if self.server.interface == "wsgi" else webapps.starlette_app
            self.web_app = make(self.app.catalog, encode, SORTS)
            return
        app = userapp.load_app(spec, self.params.get("app_dir", ""))
        try:
            kind = userapp.interface(app)
        except ValueError as exc:
            raise ValueError(f"app {spec!r}: {exc}") from None
        if kind != self.server.interface:
            raise ValueError(f"app {spec!r} is a {kind.upper()} app; this server serves "
                             f"{self.server.interface.upper()} apps (waitress, gunicorn, granian-wsgi: WSGI; "
                             f"uvicorn, granian-asgi: ASGI)")
        if not requests:
            raise ValueError(f"app {spec!r} needs --param requests=FILE (lines of METHOD PATH STATUS [CRC32|status-only])")
        self.web_app = app
        self.mix_checks = userapp.checks(userapp.read_requests(requests))

    def prepare(self):
        self.check()

    def checks(self):
        if self.mix_checks is not None:
            return self.mix_checks
        return [{"target": t, "status": 200, "length": len(b), "crc32": zlib.crc32(b)} for t, b in self.app.mix.items()]

    def start(self, host, port, slots):
        import servers as pypi_servers
        self.counters = pypi_servers.SlotCounters(slots)
        port = self.server.start(self.web_app, host, port, slots, self.counters)
        if hasattr(self.server, "gil_enabled"):
            here = bool(getattr(sys, "_is_gil_enabled", lambda: True)())
            if self.server.gil_enabled() != here:
                self.server.stop()
                raise RuntimeError(f"the granian process ran with the GIL {'on' if self.server.gil_enabled() else 'off'} "
                                   f"but the harness has it {'on' if here else 'off'}: its figures would be mislabelled")
        return port

    def stop(self):
        self.server.stop()
        status = getattr(self.server, "exit_status", None)
        if status is not None:
            self.failure = (f"granian exited with status {status} while serving; its last output:\n"
                            f"{self.server.output_tail()}")
            print(self.failure, file=sys.stderr)

    def verify(self):
        ok, checksum, expected = super().verify()
        if self.failure:
            return False, "the server process died", "a server serving until stop"
        return ok, checksum, expected
