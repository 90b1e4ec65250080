"""stdio: records from every thread to one stdout-like or stderr-like stream on a real fd.

The stream is built the way CPython builds sys.stdout and sys.stderr when they are not a
terminal: TextIOWrapper(BufferedWriter(FileIO(fd)), encoding="utf-8", newline="\\n"), block-buffered for stdout
(`print`), line-buffered with errors="backslashreplace" for stderr (`logging`, whose
StreamHandler writes to sys.stderr by default). `impl=_pyio` builds the same stack from
_pyio. The fd is a file in `dir` (`target=file`) or the write end of a pipe whose read end a
`cat` process copies into a file in `dir` (`target=pipe`), as `python app.py | cat > log`.

One op is one record. Record k of thread i reads

    req <i> <k> status=<s> bytes=<b> path=<p>;

with s, b and p derived from k. Each sample gets a fresh stream (begin_sample, untimed);
end_sample closes it, waits for cat, and reads the file back: every record written in the
sample must be there exactly once, untorn (a record is self-delimiting, ends with ';'), and
nothing else. print() writes the text and its end separately, so under threads two records
may share a line and the next line be empty: that is what print does, so it is counted (on
stderr) but not a failure; the file must still hold exactly one newline per record.
logging-disabled must write nothing at all.
"""

import _pyio
import io
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "_harness"))
import _ftlab_proc  # noqa: E402

PATHS = ["/", "/index.html", "/api/items", "/api/cart", "/login", "/static/app.js", "/robots.txt"]
STATUSES = [200, 200, 200, 304, 404, 200, 500]
RECORD = re.compile(rb"req (\d+) (\d+) status=(\d+) bytes=(\d+) path=(\S+?);")
FORMAT = "req %d %d status=%d bytes=%d path=%s;"
FOLDER_PREFIX = "ftlab-stdio-"


def create(variant, threads, params, seed):
    """The workload object for `variant` (see workload.toml); refuses bad params."""
    if variant not in ("print", "logging", "logging-disabled"):
        raise ValueError(f"unknown variant {variant!r}")
    target, impl, folder = params["target"], params["impl"], params["dir"]
    if target not in ("file", "pipe"):
        raise ValueError(f"param 'target' must be 'file' or 'pipe', not {target!r}")
    if impl not in ("io", "_pyio"):
        raise ValueError(f"param 'impl' must be 'io' or '_pyio', not {impl!r}")
    if target == "pipe" and shutil.which("cat") is None:
        raise ValueError("param 'target': 'pipe' needs cat on PATH to drain the pipe")
    try:  # the stdout target must open: probe the folder now, before anything runs
        probe = tempfile.NamedTemporaryFile(prefix=FOLDER_PREFIX + "probe-", dir=folder)
        probe.close()
    except OSError as error:
        raise ValueError(f"param 'dir': cannot open a file in {folder!r} for the stream: "
                         f"{error.strerror or error}") from None
    return Stdio(variant, threads, target, impl, folder)


def fields(k):
    """status, bytes, path of record k (any thread)."""
    return STATUSES[k % 7], (k * 7919) % 100000, PATHS[(k // 7) % 7]


class Stdio:
    def __init__(self, variant, threads, target, impl, folder):
        self.variant, self.threads, self.target = variant, threads, target
        self.module = _pyio if impl == "_pyio" else io
        self.folder = folder
        self.root = None
        self.written = [0] * threads   # records each thread has written
        self.checked = [0] * threads   # ... of which the output has been checked
        self.problems = []
        self.shared_lines = 0
        self.samples = 0
        self.stream = self.cat = None

    def prepare(self):
        self.root = _ftlab_proc.scratch_folder(self.folder, FOLDER_PREFIX)
        self.path = os.path.join(self.root, "out")
        self.logger = logging.getLogger(f"ftlab.stdio.{self.variant}")
        self.logger.propagate = False
        self.logger.setLevel(logging.INFO)

    # ---- one stream per sample (untimed) ------------------------------------------------

    def begin_sample(self, batch):
        out = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        if self.target == "pipe":
            read_end, write_end = os.pipe()
            self.cat = subprocess.Popen(["cat"], stdin=read_end, stdout=out, close_fds=True)
            os.close(read_end)
            os.close(out)
            fd = write_end
        else:
            fd = out
        # As CPython's create_stdio() builds sys.stdout/sys.stderr for a pipe or a file.
        buffered = self.module.BufferedWriter(self.module.FileIO(fd, "w"))
        if self.variant == "print":  # sys.stdout: block-buffered
            self.stream = self.module.TextIOWrapper(buffered, encoding="utf-8", newline="\n")
        else:  # sys.stderr: line-buffered, backslashreplace
            self.stream = self.module.TextIOWrapper(buffered, encoding="utf-8", errors="backslashreplace",
                                                    newline="\n", line_buffering=True)
            self.handler = logging.StreamHandler(self.stream)
            self.handler.setFormatter(logging.Formatter("%(levelname)s %(threadName)s %(message)s"))
            self.logger.addHandler(self.handler)

    def end_sample(self):
        if self.variant != "print":
            self.logger.removeHandler(self.handler)
        self.stream.close()
        if self.cat is not None:
            if self.cat.wait(timeout=60) != 0:
                self.problems.append(f"sample {self.samples}: cat exited {self.cat.returncode}")
            self.cat = None
        self.samples += 1
        with open(self.path, "rb") as f:
            data = f.read()
        self.check(data)
        self.checked = list(self.written)

    # ---- the timed work -----------------------------------------------------------------

    def run(self, index, batch):
        first = self.written[index]
        if self.variant == "print":
            out = self.stream
            for k in range(first, first + batch):
                status, size, path = fields(k)
                print(f"req {index} {k} status={status} bytes={size} path={path};", file=out)
        elif self.variant == "logging":
            info = self.logger.info
            for k in range(first, first + batch):
                status, size, path = fields(k)
                info(FORMAT, index, k, status, size, path)
        else:
            debug = self.logger.debug
            for k in range(first, first + batch):
                status, size, path = fields(k)
                debug(FORMAT, index, k, status, size, path)
        self.written[index] = first + batch
        return batch

    # ---- the check ------------------------------------------------------------------------

    def check(self, data):
        if self.variant == "logging-disabled":
            if data:
                self.problems.append(f"sample {self.samples}: {len(data)} bytes written by disabled calls")
            return
        seen, bad = set(), 0
        for match in RECORD.finditer(data):
            i, k, status, size, path = (int(match[1]), int(match[2]), int(match[3]),
                                        int(match[4]), match[5].decode())
            if not (0 <= i < self.threads and self.checked[i] <= k < self.written[i]) \
                    or (status, size, path) != fields(k) or (i, k) in seen:
                bad += 1
            else:
                seen.add((i, k))
        wanted = sum(w - c for w, c in zip(self.written, self.checked))
        if self.variant == "print":
            rest = RECORD.sub(b"", data)
            lines = data.count(b"\n")
            self.shared_lines += sum(1 for line in data.split(b"\n") if line.count(b";") > 1)
        else:  # one record per line, after its level and thread name
            prefix = re.compile(rb"^INFO \S+ ", re.M)
            rest = RECORD.sub(b"", prefix.sub(b"", data))
            lines = data.count(b"\n")
        stray = len(rest) - rest.count(b"\n")
        if len(seen) != wanted or bad or stray or lines != wanted:
            self.problems.append(
                f"sample {self.samples}: {wanted - len(seen)} records missing, {bad} repeated, torn "
                f"or unknown, {stray} stray bytes, {lines} newlines for {wanted} records")

    def verify(self):
        if self.shared_lines:
            print(f"stdio: {self.shared_lines} lines held more than one record (print writes "
                  f"the text and its end separately)", file=sys.stderr)
        total = str(sum(self.checked))
        ok = not self.problems
        return ok, total if ok else "problems", total, "; ".join(self.problems[:5])

    def cleanup(self):
        if self.cat is not None:
            self.cat.kill()
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)
