"""A user's WSGI app whose answers depend on the request (it echoes the request's headers, as
httpbin's /headers does) or on the moment (a timestamp), beside fixed ones. Plain WSGI."""

import json
import time


def app(environ, start_response):
    path = environ["PATH_INFO"]
    status = "200 OK"
    if path == "/headers":
        headers = {key[5:].replace("_", "-").title(): value for key, value in sorted(environ.items())
                   if key.startswith("HTTP_")}
        body = {"headers": headers}
    elif path == "/time":
        body = {"now": time.time()}
    elif path == "/hello":
        body = {"hello": "world"}
    elif path == "/teapot":
        status, body = "418 I'm a Teapot", {"error": "I'm a teapot"}
    else:
        status, body = "404 Not Found", {"error": "not found"}
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
