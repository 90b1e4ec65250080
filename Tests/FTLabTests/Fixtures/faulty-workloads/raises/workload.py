class Raises:
    def prepare(self):
        pass

    def run(self, thread_index, batch):
        if thread_index == 0:
            raise ValueError("thread 0 broke on purpose")
        return batch

    def verify(self):
        return True, "x", "x"


def create(variant, threads, params, seed):
    return Raises()
