import os


class CleansUp:
    def __init__(self, directory):
        self.path = os.path.join(directory, f"left-by-{os.getpid()}")

    def prepare(self):
        with open(self.path, "w") as f:
            f.write("remove me\n")

    def run(self, thread_index, batch):
        raise RuntimeError("worker failed after prepare() left a file")

    def verify(self):
        return True, "x", "x"

    def cleanup(self):
        os.remove(self.path)


def create(variant, threads, params, seed):
    return CleansUp(params["dir"])
