"""http-handling: a small JSON API over HTTP/1.1 keep-alive, served by four stdlib server
designs (stdlib_servers.py) and by servers from PyPI (waitress, gunicorn gthread, uvicorn, granian;
servers.py) running the same API as a Flask or Starlette app (webapps.py) or the user's own app
(userapp.py).

Routes (GET):
  /items?category=C&sort=price|rating|name&limit=L&offset=O   one page of a category
  /item/ID                                                    one item in full
  /search?tag=T&limit=L                                       items carrying a tag
  /report?category=C                                          every item of a category in full
                                                              (the large body, ~40 KB)
Anything else is 404; a bad query value is 400. Every response is computed per request from
the in-memory catalog (no response cache): route, parse the query, filter, sort, json.dumps
(http_app.py; the stdlib designs parse and write HTTP with http_wire.py).

prepare() also computes, single-threaded and without the HTTP path, the exact body each target
of the request mix must get; the load generator checks the responses against them.
A server workload (PROTOCOL.md, "Server workloads"): the harness calls start/stop, the
runner's load generator sends the requests.
"""

import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the sibling modules

from http_app import App, encode  # noqa: E402
from stdlib_servers import LoopPerThread, Server, SingleLoop, ThreadPerConnection, ThreadPool  # noqa: E402


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
    import servers as pypi_servers
    if variant not in pypi_servers.SERVERS:
        raise ValueError(f"unknown variant {variant!r}")
    server = pypi_servers.SERVERS[variant]()
    server.params, server.seed = dict(params), seed  # granian builds the app again in its own process
    return AppServer(server, App(int(params["products"]), seed), params)


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
            self.web_app = make(self.app.catalog, encode)
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
