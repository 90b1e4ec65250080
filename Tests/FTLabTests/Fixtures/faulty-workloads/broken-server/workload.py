import socket


class BusyPort:
    def __init__(self, port):
        self.port = port

    def prepare(self):
        pass

    def requests(self):
        return ["/"]

    def expected(self, target):
        return b"{}"

    def start(self, host, port, slots):
        self.listener = socket.create_server((host, self.port))  # raises: address already in use
        return self.port

    def stop(self):
        self.listener.close()

    def verify(self):
        return True, "0", "0"


def create(variant, threads, params, seed):
    return BusyPort(int(params["port"]))
