class Lies:
    """Fast, and wrong: verify() reports a checksum that does not match."""

    def prepare(self):
        self.total = 0

    def run(self, thread_index, batch):
        for _ in range(batch):
            self.total += 1
        return batch

    def verify(self):
        return False, str(self.total), str(self.total + 1)


def create(variant, threads, params, seed):
    return Lies()
