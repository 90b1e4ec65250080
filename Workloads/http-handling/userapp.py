"""The user's own app under the server variants: `--param app=module:callable`, imported from
`--param app_dir=DIR`, driven by `--param requests=FILE` (a request file).

Request file: one request per line, `#` starts a comment, blank lines are skipped:

    METHOD PATH EXPECTED_STATUS [CRC32]
    GET /health 200
    GET /items?page=2 200 3735928559

The load generator sends GET requests only. Each response's status and body length are checked
(the length is learned by calling the app once per line before serving, off the serving path);
with a CRC32 (decimal, `zlib.crc32` of the body) the body is checked too, on a sample of responses.
Every problem is a ValueError naming the value (and the line), which the harness reports as a
bad argument before anything is measured.
"""

import asyncio
import importlib
import inspect
import io
import os
import sys
import zlib


def load_app(spec, app_dir):
    """The callable named by `module:callable`, imported with `app_dir` first on sys.path."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise ValueError(f"app {spec!r}: expected MODULE:CALLABLE, e.g. myapp:app")
    if app_dir:
        if not os.path.isdir(app_dir):
            raise ValueError(f"app_dir {app_dir!r} is not a directory")
        sys.path.insert(0, os.path.abspath(app_dir))
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        where = f" from {app_dir}" if app_dir else ""
        raise ValueError(f"app {spec!r}: module {module_name!r} does not import{where}: "
                         f"{type(exc).__name__}: {exc}") from None
    target = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise ValueError(f"app {spec!r}: module {module_name!r} has no attribute {attribute!r}")
        target = getattr(target, part)
    return target


def interface(app):
    """`asgi` for an async callable of (scope, receive, send), `wsgi` for a callable of
    (environ, start_response); ValueError for anything else."""
    if not callable(app):
        raise ValueError(f"{app!r} is not callable; expected a WSGI or ASGI application")
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else getattr(app, "__call__", app)
    if inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(app):
        return "asgi"
    try:
        params = [p for p in inspect.signature(app).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return "wsgi"
    if len(params) == 2:
        return "wsgi"
    raise ValueError(f"{app!r} takes {len(params)} positional parameters; a WSGI app takes "
                     f"(environ, start_response), an ASGI app is async and takes (scope, receive, send)")


def read_requests(path):
    """[(method, target, status, crc32 or None)] from a request file; ValueError with the line."""
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().splitlines()
    except OSError as exc:
        raise ValueError(f"requests file {path!r}: {exc.strerror}") from None
    found = []
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        where = f"requests file {path}:{number}: {raw.strip()!r}"
        if len(words) not in (3, 4):
            raise ValueError(f"{where}: expected METHOD PATH STATUS [CRC32]")
        method, target, status = words[0], words[1], words[2]
        if method != "GET":
            raise ValueError(f"{where}: method {method}: the load generator sends GET only")
        if not target.startswith("/"):
            raise ValueError(f"{where}: path {target!r} must start with /")
        if not (status.isdigit() and 100 <= int(status) <= 599):
            raise ValueError(f"{where}: status {status!r} is not an HTTP status (100-599)")
        crc = None
        if len(words) == 4:
            if not words[3].isdigit() or int(words[3]) >= 1 << 32:
                raise ValueError(f"{where}: CRC32 {words[3]!r} is not a decimal zlib.crc32 value")
            crc = int(words[3])
        found.append((method, target, int(status), crc))
    if not found:
        raise ValueError(f"requests file {path!r} holds no request")
    return found


def call_wsgi(app, target):
    """(status, body) from calling a WSGI app directly for GET `target`."""
    path, _, query = target.partition("?")
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_HOST": "127.0.0.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
               "wsgi.multiprocess": False, "wsgi.run_once": False}
    status = []
    result = app(environ, lambda s, headers, exc_info=None: status.append(int(s.split()[0])))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return status[0], body


def call_asgi(app, target):
    """(status, body) from calling an ASGI app directly for GET `target` (its own event loop)."""
    path, _, query = target.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80)}
    status, chunks = [], []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    asyncio.run(app(scope, receive, send))
    return status[0], b"".join(chunks)


def checks(app, kind, requests):
    """The mix entries for `requests`: each answer's status must be the file's; the length is
    what the app answered when called directly."""
    call = call_asgi if kind == "asgi" else call_wsgi
    mix = []
    for _, target, status, crc in requests:
        got, body = call(app, target)
        if got != status:
            raise ValueError(f"GET {target}: the app answered {got} when called directly, the requests "
                             f"file expects {status}")
        if crc is not None and zlib.crc32(body) != crc:
            raise ValueError(f"GET {target}: the app's body has CRC32 {zlib.crc32(body)}, the requests "
                             f"file expects {crc}")
        mix.append({"target": target, "status": status, "length": len(body), "crc32": crc})
    return mix
