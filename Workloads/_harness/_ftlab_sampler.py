"""The samples of a batch workload: warmups (calibrating the batch when asked) and measured
samples on the worker pool, each sent as a `sample` message."""

from _ftlab_calibrate import calibrate
from _ftlab_protocol import message


class Sampler:
    """Runs warmups (calibrating the batch when asked) and measured samples."""

    def __init__(self, pool, channel):
        self.pool = pool
        self.channel = channel
        self.index = 0

    def run(self, batch, warmup):
        wall_ns, ops, before, after, times = self.pool.sample(batch)
        sample = message(
            "sample", index=self.index, warmup=warmup, batch=batch,
            ops=sum(ops), wall_ns=wall_ns, per_thread_ops=ops,
            cpu_user_s=round(after.ru_utime - before.ru_utime, 6),
            cpu_sys_s=round(after.ru_stime - before.ru_stime, 6),
            ctx_voluntary=after.ru_nvcsw - before.ru_nvcsw,
            ctx_involuntary=after.ru_nivcsw - before.ru_nivcsw,
            **({"thread_stats": times} if times else {}),
        )
        self.channel.send(sample)
        self.index += 1
        return wall_ns

    def calibrate(self, target_s, warmups, first_batch=None):
        """Calibrate the batch (module `_ftlab_calibrate`) on warmup samples of this process."""
        return calibrate(lambda batch: self.run(batch, warmup=True), target_s, warmups, first_batch)
