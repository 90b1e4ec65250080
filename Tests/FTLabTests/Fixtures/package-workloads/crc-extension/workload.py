"""crc-extension: CRC-16 through crcmod's C extension (a real PyPI package)."""

import binascii

import crcmod._crcfunext  # the C extension itself: fails when pip did not build it
import crcmod.predefined

DATA = bytes(range(256)) * 64


def create(variant, threads, params, seed):
    return CRC(threads)


class CRC:
    def __init__(self, threads):
        self.results = [[] for _ in range(threads)]

    def prepare(self):
        self.expected = binascii.crc_hqx(DATA, 0)  # CRC-16/XMODEM, computed by the stdlib

    def run(self, thread_index, batch):
        crc = crcmod.predefined.mkCrcFun("xmodem")
        self.results[thread_index].extend(crc(DATA) for _ in range(batch))
        return batch

    def verify(self):
        got = {value for values in self.results for value in values}
        return got == {self.expected}, str(sorted(got)), str(self.expected)
