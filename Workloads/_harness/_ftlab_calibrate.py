"""How the harness sizes a batch when `--batch` is not given (PROTOCOL.md, `--batch`); the rules
are pinned by calibration-vectors.json, which check_calibration.py replays against this module
and a Swift test against ftlab's native harness."""

FIRST_CALIBRATION_BATCH = 1
MAX_CALIBRATION_BATCH = 1 << 48


def calibrate(run, target_s, warmups, first_batch=None):
    """Warm up while growing the batch until one sample lasts >= target_s; returns that batch.

    `run(batch)` runs one warmup sample and returns its wall time in ns. Runs at least one
    warmup and at least `warmups` of them in total. A sample that reaches the target far
    sooner than the previous one predicts (over 4x the predicted time), or the very first
    one, is repeated at the same batch before it is believed (the repeat must last at least
    half the target): a one-off stall (page faults, a busy neighbour) must not freeze the
    batch at a size too small to time. The rules are pinned by calibration-vectors.json,
    which drives ftlab's native harness too. `first_batch`, when a workload knows roughly what
    one op costs (its optional `first_batch(target_s)`), is where the doubling starts instead of 1.
    """
    target_ns = target_s * 1e9
    batch, done = max(FIRST_CALIBRATION_BATCH, first_batch or 0), 0
    expected_ns = None
    while True:
        wall_ns = run(batch)
        done += 1
        if wall_ns >= target_ns:
            if expected_ns is not None and wall_ns <= 4 * expected_ns:
                break
            wall_ns = run(batch)  # confirm it was no stall
            done += 1
            if wall_ns >= target_ns / 2:
                break
        next_ = next_batch(batch, wall_ns, target_ns)
        expected_ns = wall_ns * next_ / batch
        batch = next_
        if batch > MAX_CALIBRATION_BATCH:
            raise RuntimeError(
                f"calibration: a batch of {MAX_CALIBRATION_BATCH} still takes "
                f"{wall_ns / 1e9:.6f} s; does run() honour its batch argument?"
            )
    for _ in range(warmups - done):
        run(batch)
    return batch


def next_batch(batch, wall_ns, target_ns):
    """Double while samples are too short to extrapolate from; then scale up linearly."""
    if wall_ns < target_ns / 8:
        return batch * 2
    return max(batch + 1, int(batch * target_ns * 1.05 / wall_ns) + 1)
