"""Drives the harness's calibration (_ftlab_calibrate.py: how run.py sizes a batch) with the
vectors of calibration-vectors.json.

    python3 Workloads/_harness/check_calibration.py [VECTORS.json]

Prints one line per vector and exits 1 if any disagrees. ftlab's native harness is driven by
the same file (CalibrationVectorTests), so both follow one set of rules.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import _ftlab_calibrate  # noqa: E402

VECTORS = os.path.join(HERE, "calibration-vectors.json")
MAX_CALLS = 10_000  # a calibration that never ends fails its vector instead of hanging


def replay(vector):
    """(batches run, calibrated batch or None, error message or None) for one vector."""
    model = vector["wall_ns"]
    calls = {int(key): wall for key, wall in model.get("calls", {}).items()}
    batches = []

    def run(batch):
        if len(batches) == MAX_CALLS:
            raise AssertionError(f"more than {MAX_CALLS} calls")
        wall = calls.get(len(batches), model.get("fixed", 0) + model.get("per_unit", 0) * batch)
        batches.append(batch)
        return wall

    try:
        return batches, _ftlab_calibrate.calibrate(run, vector["target_seconds"], vector["warmups"]), None
    except RuntimeError as exc:
        return batches, None, str(exc)


def check(path=VECTORS):
    """The names of the vectors in `path` that the harness disagrees with (each printed)."""
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)["vectors"]
    failed = []
    for vector in vectors:
        batches, batch, error = replay(vector)
        problems = []
        if batches != vector["batches"]:
            problems.append(f"batches {batches}, expected {vector['batches']}")
        if batch != vector.get("batch") or error != vector.get("error"):
            problems.append(f"ended with batch {batch} / error {error!r}, expected batch "
                            f"{vector.get('batch')} / error {vector.get('error')!r}")
        print(f"  {'FAIL' if problems else 'ok  '} calibration: {vector['name']}"
              + "".join(f"\n       {p}" for p in problems))
        if problems:
            failed.append(vector["name"])
    return failed


if __name__ == "__main__":
    failures = check(*sys.argv[1:2])
    print(f"{len(failures)} calibration vector(s) FAILED" if failures else "all calibration vectors agree")
    sys.exit(1 if failures else 0)
