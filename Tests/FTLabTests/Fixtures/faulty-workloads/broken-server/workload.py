import socket
import time


class BrokenServer:
    """busy-port binds a port someone else holds; silent never reports a port."""

    def __init__(self, variant, port):
        self.variant, self.port = variant, port

    def prepare(self):
        pass

    def requests(self):
        return ["/"]

    def expected(self, target):
        return b"{}"

    def start(self, host, port, slots):
        if self.variant == "silent":
            time.sleep(3600)
        self.listener = socket.create_server((host, self.port))  # raises: address already in use
        return self.port

    def stop(self):
        self.listener.close()

    def verify(self):
        return True, "0", "0"


def create(variant, threads, params, seed):
    return BrokenServer(variant, int(params["port"]))
