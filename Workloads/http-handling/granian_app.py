"""granian's side of the granian-wsgi and granian-asgi variants (servers.py, `Granian`).

Run as a script by the harness, with its configuration in FTLAB_GRANIAN (JSON: interface, host,
port, threads, cpus, table, params, seed): pins itself to the configuration's CPUs, then serves
`make_app` through granian's public API with one worker. granian calls `make_app` in the
process that runs the app (this one on the free-threaded build, where the worker is a thread;
the forked worker process on the GIL build); it builds the same app as the harness (the
default Flask/Starlette app or the user's), counting each request in the shared table.
"""

import json
import os
import pathlib
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = json.loads(os.environ.get("FTLAB_GRANIAN", "{}"))


def make_app():
    """The app to serve, wrapped to count and pin its threads (granian's factory)."""
    sys.path.insert(0, HERE)
    import http_app
    import servers
    params = CONFIG["params"]
    if params.get("app"):
        import userapp
        app = userapp.load_app(params["app"], params.get("app_dir", ""))
    else:
        import webapps
        data = http_app.App(int(params["products"]), CONFIG["seed"])
        data.prepare()
        make = webapps.flask_app if CONFIG["interface"] == "wsgi" else webapps.starlette_app
        app = make(data.catalog, http_app.encode)
    table = servers.SharedTable(CONFIG["table"])
    counters = servers.SharedSlotCounters(table, CONFIG["threads"], CONFIG["cpus"])
    counted = servers.counted_wsgi if CONFIG["interface"] == "wsgi" else servers.counted_asgi
    is_gil_enabled = getattr(sys, "_is_gil_enabled", lambda: True)
    table.words[1], table.words[2] = os.getpid(), int(is_gil_enabled())
    table.words[0] = 1  # ready: last
    return counted(app, counters)


def main():
    if CONFIG["cpus"]:
        os.sched_setaffinity(0, set(CONFIG["cpus"]))
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    wsgi = CONFIG["interface"] == "wsgi"
    threads = {"blocking_threads": CONFIG["threads"]} if wsgi else {"runtime_threads": CONFIG["threads"]}
    Granian("granian_app:make_app", address=CONFIG["host"], port=CONFIG["port"],
            interface=Interfaces.WSGI if wsgi else Interfaces.ASGINL, workers=1, factory=True,
            working_dir=pathlib.Path(HERE), http=HTTPModes.http1, websockets=False, backlog=128,
            log_level="warning", **threads).serve()


if __name__ == "__main__":
    main()
