# Allocates 128 MiB per op and keeps it, until MemoryError. Capped at 3 GiB so that a run
# without --memory-limit fails plainly instead of taking the machine's memory.
CAP = 3 << 30


class Hog:
    def __init__(self):
        self.kept = []

    def prepare(self):
        pass

    def run(self, thread_index, batch):
        for _ in range(batch):
            if len(self.kept) * (128 << 20) >= CAP:
                raise RuntimeError("allocated 3 GiB without a MemoryError: no --memory-limit in force")
            self.kept.append(bytearray(128 << 20))
        return batch

    def verify(self):
        return True, "x", "x"


def create(variant, threads, params, seed):
    return Hog()
