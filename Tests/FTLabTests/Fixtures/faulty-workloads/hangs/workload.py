import time


class Hangs:
    def prepare(self):
        pass

    def run(self, thread_index, batch):
        time.sleep(3600)
        return batch

    def verify(self):
        return True, "x", "x"


def create(variant, threads, params, seed):
    return Hangs()
