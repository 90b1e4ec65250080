"""A user's own WSGI app (plain WSGI, no framework) and a module attribute that is not an app."""

import json


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/hello":
        body, status = json.dumps({"hello": environ.get("QUERY_STRING") or "world"}).encode(), "200 OK"
    else:
        body, status = b'{"error": "not found"}', "404 Not Found"
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


not_an_app = 42
