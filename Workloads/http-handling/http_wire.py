"""HTTP/1.1 on the wire for the stdlib server designs: parsing a request head and writing a
complete response."""

import email.utils

SERVER_NAME = "ftlab-http-handling"
MAX_HEAD = 64 * 1024
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
           431: "Request Header Fields Too Large", 500: "Internal Server Error"}


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
