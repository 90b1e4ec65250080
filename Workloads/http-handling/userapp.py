"""The user's own app under the server variants: `--param app=module:callable`, imported from
`--param app_dir=DIR`, driven by `--param requests=FILE` (a request file).

Request file: one request per line, `#` starts a comment, blank lines are skipped:

    METHOD PATH EXPECTED_STATUS [CRC32|status-only]
    GET /health 200
    GET /items?page=2 200 3735928559
    GET /now 200 status-only

The load generator sends GET requests only. Every response's status is checked. The body of a
line without `status-only` is learned by the runner before the load from two requests made
exactly like the load generator's (same headers), which must agree; every response's length and
a sample of their CRC-32s must then match it. A CRC32 (decimal, `zlib.crc32` of the body) on the
line must match the learned body too. `status-only`: a body that changes (a timestamp) is not
checked. Every problem is a ValueError naming the value (and the line), which the harness
reports as a bad argument before anything is measured.
"""

import importlib
import inspect
import os
import sys


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


STATUS_ONLY = "status-only"


def read_requests(path):
    """[(method, target, status, check)] from a request file, `check` a CRC32 (int), None (learn
    the body) or STATUS_ONLY; ValueError naming the file, the line and the word at fault."""
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
            raise ValueError(f"{where}: expected METHOD PATH STATUS [CRC32|{STATUS_ONLY}]")
        method, target, status = words[0], words[1], words[2]
        if method != "GET":
            raise ValueError(f"{where}: method {method!r}: the load generator sends GET only")
        if not target.startswith("/"):
            raise ValueError(f"{where}: path {target!r} must start with /")
        if not (status.isascii() and status.isdigit() and 100 <= int(status) <= 599):
            raise ValueError(f"{where}: status {status!r} is not an HTTP status (100-599)")
        check = None
        if len(words) == 4:
            if words[3] == STATUS_ONLY:
                check = STATUS_ONLY
            elif words[3].isascii() and words[3].isdigit() and int(words[3]) < 1 << 32:
                check = int(words[3])
            else:
                raise ValueError(f"{where}: {words[3]!r} is neither a decimal zlib.crc32 value nor {STATUS_ONLY}")
        found.append((method, target, int(status), check))
    if not found:
        raise ValueError(f"requests file {path!r} holds no request")
    return found


def checks(requests):
    """The mix entries for `requests` (PROTOCOL.md, `listening`): a `status-only` line checks the
    status alone; any other line's body is learned by the runner from two requests made exactly
    like the load generator's (so a body that echoes the request's headers is learned with the
    headers it will get), then its length and CRC-32 are checked under load; a CRC32 on the line
    must match the learned body."""
    mix = []
    for _, target, status, check in requests:
        if check == STATUS_ONLY:
            mix.append({"target": target, "status": status, "length": None, "crc32": None})
        else:
            mix.append({"target": target, "status": status, "length": None, "crc32": check, "learn": True})
    return mix
