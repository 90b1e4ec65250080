"""Test fixture for `ftlab explain`: every worker thread writes records into one shared
BufferedWriter, so the threads take turns on its lock. Stands in for buffered-copy's
shared-writer variant. The file is unlinked as soon as it is open: nothing is left behind.
"""

import os
import tempfile


class SharedWriter:
    def __init__(self, threads, params):
        self.record = b"x" * (int(params["record"]) - 1) + b"\n"
        self.written = [0] * threads
        self.total = 0

    def prepare(self):
        folder = "/dev/shm" if os.path.isdir("/dev/shm") else None
        fd, path = tempfile.mkstemp(prefix="ftlab-explain-fixture-", dir=folder)
        os.close(fd)
        self.file = open(path, "wb", buffering=64 * 1024)
        os.unlink(path)

    def run(self, index, batch):
        write, record = self.file.write, self.record
        for _ in range(batch):
            write(record)
        self.written[index] += batch
        return batch

    def end_sample(self):
        self.file.flush()
        self.total += self.file.tell()
        self.file.seek(0)
        self.file.truncate()

    def verify(self):
        expected = sum(self.written) * len(self.record)
        return self.total == expected, str(self.total), str(expected)


def create(variant, threads, params, seed):
    if variant != "shared-writer":
        raise ValueError(f"unknown variant {variant!r}")
    return SharedWriter(threads, params)
