"""buffered-copy: move bytes through BufferedReader/BufferedWriter in fixed-size chunks.

Every file is made of records of `chunk_size` bytes. Record k of file f is

    head(f, k) + body(f) + head(f, k)      head(f, k) = b"%05x%010x\\n" % (f, k), 16 bytes

where body(f) is a seeded 256-byte pattern repeated to fill the record: a record says where
it belongs, so a torn, skipped or repeated record shows. ftlab's native-swift implementation
of `independent` ports this content byte for byte (Sources/FTLab/Native/CopyContent.swift).

One op is one byte. Variants (batch = chunks per thread, except copyfileobj: whole files):
- independent: thread i copies its file A_i -> B_i through its own reader and writer
  (buffering=buffer_size, chunk_size bytes per call); when a pass ends the roles swap (B_i -> A_i), so
  each pass copies the previous pass's output. verify(): the finished file and the pass in
  progress hold exactly the original bytes, so one bad pass spoils every later one.
- copyfileobj: the same chain, one whole file per op, with shutil.copyfileobj.
- shared-writer: all threads write their own numbered records into one BufferedWriter.
  After each sample (untimed) the file is read back and must hold exactly the records
  written, each once and untorn; then it is emptied for the next sample.
- shared-reader: all threads read records from one BufferedReader, keeping each record's
  head and tail; a thread that meets the end rewinds the reader (unless another already
  did). verify(): every record was read once per completed pass, plus once if it lies before
  the final position, each with a matching head and tail.

`impl=_pyio` makes every timed open() _pyio.open: the same FileIO/BufferedReader/
BufferedWriter stack in pure Python, whose buffered objects lock with a threading.Lock where
C io takes a critical section. Files written or checked outside the timed work use C io.

Files live in DIR/ftlab-buffered-copy-<pid>/, made in prepare() and removed by cleanup(),
which the harness calls at the end, after a failure too. Folders left behind by killed
processes are removed by the next prepare().
"""

import _pyio
import hashlib
import io
import os
import shutil
import sys
import tempfile
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "_harness"))
import _ftlab_proc  # noqa: E402

DEFAULT_DIR = "/dev/shm"
FOLDER_PREFIX = "ftlab-buffered-copy-"
HEAD = 16  # bytes of a record's id, at its start and again at its end
BLOCK = 1 << 20  # bytes generated, written or checked at a time, outside the timed work
PATTERN_WORDS = 32  # 64-bit words in a body's repeated pattern (256 bytes)
MASK = (1 << 64) - 1


def create(variant, threads, params, seed):
    """The workload object for `variant` (see workload.toml)."""
    variants = {"independent": Independent, "copyfileobj": CopyFileObj,
                "shared-writer": SharedWriter, "shared-reader": SharedReader}
    if variant not in variants:
        raise ValueError(f"unknown variant {variant!r}")
    return variants[variant](threads, params, seed)


# ---- the content ---------------------------------------------------------------------

def parse_size(name, text):
    """Bytes from `text`: digits with an optional K, M or G suffix (powers of 1024)."""
    factor = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:].upper(), 1)
    digits = text[:-1] if factor > 1 else text
    if not digits.isdigit() or int(digits) < 1:
        raise ValueError(f"param {name!r} must be a positive size like 4096, 64K or 8M, "
                         f"not {text!r}")
    return int(digits) * factor


def splitmix64(state):
    """One step of SplitMix64: (next state, output)."""
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def body(seed, f, chunk):
    """The bytes between the head and the tail of every record of file `f`."""
    state = (seed ^ ((f + 1) * 0xD1B54A32D192ED03)) & MASK
    words = []
    for _ in range(PATTERN_WORDS):
        state, word = splitmix64(state)
        words.append(word.to_bytes(8, "little"))
    pattern = b"".join(words)
    length = chunk - 2 * HEAD
    return (pattern * (length // len(pattern) + 1))[:length]


def head(f, k):
    return b"%05x%010x\n" % (f, k)


def record(f, k, filler):
    h = head(f, k)
    return b"".join((h, filler, h))


def blocks(seed, f, size, chunk, length=None):
    """The first `length` (default: all `size`) bytes of file `f`, records 0, 1, ... of
    `chunk` bytes, in blocks of about 1 MiB: memory stays small whatever the file size."""
    filler, per_block = body(seed, f, chunk), max(1, BLOCK // chunk)
    left = size if length is None else length
    for first in range(0, size // chunk, per_block):
        if left <= 0:
            return
        block = b"".join(record(f, k, filler)
                         for k in range(first, min(size // chunk, first + per_block)))
        yield block[:left]
        left -= len(block)


def write_file(path, data_blocks):
    with open(path, "wb") as out:
        for block in data_blocks:
            out.write(block)


def compare_file(path, wanted_blocks, observed, expected):
    """Feeds a file and its wanted content, block by block, to the two hashes; returns
    None when they are equal, else how they differ."""
    got_total = want_total = 0
    first = None
    with open(path, "rb") as f:
        for want in wanted_blocks:
            got = f.read(len(want))
            observed.update(got)
            expected.update(want)
            if first is None and got != want:
                first = got_total + next((i for i, (a, b) in enumerate(zip(got, want)) if a != b),
                                         min(len(got), len(want)))
            got_total += len(got)
            want_total += len(want)
        while extra := f.read(BLOCK):
            observed.update(extra)
            got_total += len(extra)
    if first is None and got_total != want_total:
        first = min(got_total, want_total)
    if first is None:
        return None
    return f"{got_total} bytes where {want_total} were expected, first difference at byte {first}"


def parse_head(data, files):
    """(f, k) from a record's first bytes, or None when they are not a head of files 0..files-1."""
    if len(data) != HEAD or data[-1:] != b"\n":
        return None
    try:
        f, k = int(data[:5], 16), int(data[5:15], 16)
    except ValueError:
        return None
    return (f, k) if 0 <= f < files and head(f, k) == data else None


# ---- where the files go --------------------------------------------------------------

def workdir(requested):
    """A fresh folder for this process's files under `requested` (the `dir` param)."""
    base = requested
    if requested == DEFAULT_DIR and not os.path.isdir(requested):
        base = fallback_dir()
        kind = filesystem(base)
        note = "a tmpfs" if kind == "tmpfs" else f"{kind}, not a tmpfs: the figures include it"
        print(f"buffered-copy: {DEFAULT_DIR} is missing; using {base} ({note})",
              file=sys.stderr)
    elif not os.path.isdir(requested):
        raise ValueError(f"param 'dir': {requested!r} is not a directory")
    return _ftlab_proc.scratch_folder(base, FOLDER_PREFIX)


def fallback_dir():
    """$XDG_RUNTIME_DIR when it is a tmpfs, else the temp dir."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime) and filesystem(runtime) == "tmpfs":
        return runtime
    return tempfile.gettempdir()


def filesystem(path):
    """The type of the file system holding `path` (from /proc/self/mounts)."""
    path = os.path.realpath(path)
    best, kind = "", "unknown"
    with open("/proc/self/mounts") as mounts:
        for line in mounts:
            fields = line.split()
            point = fields[1].replace("\\040", " ")
            inside = path == point or path.startswith(point.rstrip("/") + "/")
            if inside and len(point) >= len(best):
                best, kind = point, fields[2]
    return kind


# ---- the variants --------------------------------------------------------------------

class BufferedCopy:
    """What all variants share: the sizes, the folder, cleanup."""

    def __init__(self, threads, params, seed):
        self.threads = threads
        self.seed = seed
        self.chunk = parse_size("chunk_size", params["chunk_size"])
        self.buffer = parse_size("buffer_size", params["buffer_size"])
        if self.chunk < 2 * HEAD:
            raise ValueError(f"param 'chunk_size' must be at least {2 * HEAD} bytes, not {self.chunk}")
        self.size = parse_size("file_size", params["file_size"]) // self.chunk * self.chunk
        if self.size == 0:
            raise ValueError("param 'file_size' must be at least one chunk")
        self.requested_dir = params["dir"]
        impl = params.get("impl", "io")
        if impl not in ("io", "_pyio"):
            raise ValueError(f"param 'impl' must be 'io' or '_pyio', not {impl!r}")
        # The timed open(): C io, or _pyio, its pure-Python twin (Python-level locks).
        self.open = _pyio.open if impl == "_pyio" else io.open
        self.root = None

    def prepare(self):
        self.root = workdir(self.requested_dir)

    def path(self, name):
        return os.path.join(self.root, name)

    def original(self, f, length=None):
        """Blocks of file `f`'s original content (its first `length` bytes)."""
        return blocks(self.seed, f, self.size, self.chunk, length)

    def cleanup(self):
        if self.root:
            shutil.rmtree(self.root, ignore_errors=True)


class Chain:
    """One thread's two files: each pass copies the source over the other file, which then
    becomes the source."""

    def __init__(self, paths):
        self.paths = paths
        self.source = 0  # index of the source in paths
        self.passes = 0  # complete copies made

    @property
    def src(self):
        return self.paths[self.source]

    @property
    def dst(self):
        return self.paths[1 - self.source]

    def turn(self):
        self.source = 1 - self.source
        self.passes += 1


class ChainCopy(BufferedCopy):
    """independent and copyfileobj: per-thread chains of copies, checked at the end."""

    def prepare(self):
        super().prepare()
        self.chains = []
        for i in range(self.threads):
            chain = Chain([self.path(f"{i}-a"), self.path(f"{i}-b")])
            write_file(chain.src, self.original(i))
            self.chains.append(chain)

    def in_progress(self, chain):
        """Bytes the pass in progress has copied so far (None: no pass in progress)."""
        return None

    def verify(self):
        """The current source of every chain must be the original file, and a pass in
        progress a prefix of it."""
        observed, expected, problems = hashlib.sha256(), hashlib.sha256(), []
        for i, chain in enumerate(self.chains):
            files = [(chain.src, f"after {chain.passes} passes", self.original(i))]
            partial = self.in_progress(chain)
            if partial is not None:
                if not 0 <= partial <= self.size:
                    problems.append(f"thread {i}: copied {partial} bytes into a pass of {self.size}")
                files.append((chain.dst, "pass in progress", self.original(i, max(0, partial))))
            for path, state, want in files:
                difference = compare_file(path, want, observed, expected)
                if difference:
                    problems.append(f"thread {i}: {os.path.basename(path)} ({state}): {difference}")
        return not problems, observed.hexdigest(), expected.hexdigest(), "; ".join(problems)


class Independent(ChainCopy):
    """Each thread copies through its own reader and writer, kept open across samples."""

    def prepare(self):
        super().prepare()
        for chain in self.chains:
            self.reopen(chain)
            chain.copied = 0

    def reopen(self, chain):
        chain.reader = self.open(chain.src, "rb", buffering=self.buffer)
        chain.writer = self.open(chain.dst, "wb", buffering=self.buffer)

    def run(self, index, batch):
        chain, size = self.chains[index], self.chunk
        read, write = chain.reader.read, chain.writer.write
        for _ in range(batch):
            data = read(size)
            if not data:  # the pass is complete: now copy the copy
                chain.reader.close()
                chain.writer.close()
                chain.turn()
                self.reopen(chain)
                read, write = chain.reader.read, chain.writer.write
                data = read(size)
            write(data)
        chain.copied += batch * size
        return batch * size

    def in_progress(self, chain):
        return chain.copied - chain.passes * self.size

    def verify(self):
        for chain in self.chains:
            chain.reader.close()
            chain.writer.close()
        return super().verify()


class CopyFileObj(ChainCopy):
    """Each op copies a thread's whole file with shutil.copyfileobj(src, dst, chunk)."""

    def run(self, index, batch):
        chain = self.chains[index]
        for _ in range(batch):
            with self.open(chain.src, "rb", buffering=self.buffer) as src, \
                    self.open(chain.dst, "wb", buffering=self.buffer) as dst:
                shutil.copyfileobj(src, dst, self.chunk)
            chain.turn()
        return batch * self.size


class SharedWriter(BufferedCopy):
    """All threads write records into one BufferedWriter; each sample's file is checked."""

    def prepare(self):
        super().prepare()
        self.file = self.path("shared")
        self.writer = self.open(self.file, "wb", buffering=self.buffer)
        self.fillers = [body(self.seed, t, self.chunk) for t in range(self.threads)]
        self.written = [0] * self.threads  # records each thread has written
        self.checked = [0] * self.threads  # ... of which the file has been checked
        self.observed, self.expected = hashlib.sha256(), hashlib.sha256()
        self.problems = []
        self.samples = 0

    def run(self, index, batch):
        write, join, filler = self.writer.write, b"".join, self.fillers[index]
        first = self.written[index]
        for k in range(first, first + batch):
            h = b"%05x%010x\n" % (index, k)
            write(join((h, filler, h)))
        self.written[index] = first + batch
        return batch * self.chunk

    def end_sample(self):
        """Reads the sample's records back (untimed), then empties the file."""
        self.writer.flush()
        self.samples += 1
        self.check()
        self.writer.seek(0)
        self.writer.truncate()
        self.checked = list(self.written)

    def check(self):
        """Every record written since the last check present exactly once, none torn.

        The records, sorted by (thread, number), feed the observed checksum; the records
        written feed the expected one. The file is read in blocks of whole records."""
        size, seen, bad, trailing = self.chunk, {}, [], b""
        with open(self.file, "rb") as f:
            while block := f.read(max(1, BLOCK // size) * size):
                whole = len(block) - len(block) % size
                trailing = block[whole:]
                for offset in range(0, whole, size):
                    rec = block[offset:offset + size]
                    key = parse_head(rec[:HEAD], self.threads)
                    if key is None or rec != record(key[0], key[1], self.fillers[key[0]]):
                        bad.append(rec)
                    else:
                        seen[key] = seen.get(key, 0) + 1
        for (t, k), count in sorted(seen.items()):
            self.observed.update(record(t, k, self.fillers[t]) * count)
        for rec in bad:
            self.observed.update(rec)
        self.observed.update(trailing)
        wanted = 0
        for t in range(self.threads):
            for k in range(self.checked[t], self.written[t]):
                self.expected.update(record(t, k, self.fillers[t]))
                wanted += 1
        missing = sum(1 for t in range(self.threads)
                      for k in range(self.checked[t], self.written[t]) if (t, k) not in seen)
        repeated = sum(count - 1 for count in seen.values())
        stray = len(seen) + missing - wanted  # valid records nobody wrote in this sample
        if missing or repeated or stray or bad or trailing:
            self.problems.append(
                f"sample {self.samples}: {missing} records missing, {repeated} repeated, "
                f"{stray} unexpected, {len(bad)} torn, {len(trailing)} trailing bytes")

    def verify(self):
        self.writer.close()
        return (not self.problems and self.observed.digest() == self.expected.digest(),
                self.observed.hexdigest(), self.expected.hexdigest(), "; ".join(self.problems))


class SharedReader(BufferedCopy):
    """All threads read records from one BufferedReader, rewinding it at the end."""

    def prepare(self):
        super().prepare()
        self.file = self.path("shared")
        write_file(self.file, self.original(0))
        self.reader = self.open(self.file, "rb", buffering=self.buffer)
        self.rewind_lock = threading.Lock()
        self.passes = 0
        self.records = self.size // self.chunk
        self.heads = [[] for _ in range(self.threads)]
        self.tails = [[] for _ in range(self.threads)]
        self.reads = [0] * self.threads
        self.counts = [0] * self.records  # times each record was read
        self.torn = 0

    def run(self, index, batch):
        read, size = self.reader.read, self.chunk
        keep_head, keep_tail = self.heads[index].append, self.tails[index].append
        for _ in range(batch):
            data = read(size)
            while not data:
                self.rewind()
                data = read(size)
            keep_head(data[:HEAD])
            keep_tail(data[-HEAD:])
        self.reads[index] += batch
        return batch * size

    def rewind(self):
        """At the end of the file, starts the next pass, unless another thread already did.

        End of file is `peek()` coming back empty: `peek` holds the reader's lock in both io and
        _pyio, while _pyio's `tell()` reads the buffer's state without it (a torn value under
        threads, even on the GIL build, once made a second rewind and a record read twice)."""
        with self.rewind_lock:
            if not self.reader.peek(1):
                self.reader.seek(0)
                self.passes += 1

    def end_sample(self):
        """Counts the records read in the sample (untimed)."""
        for heads, tails in zip(self.heads, self.tails):
            for h, tail in zip(heads, tails):
                key = parse_head(h, 1)
                if key is None or key[1] >= self.records or tail != h:
                    self.torn += 1
                else:
                    self.counts[key[1]] += 1
            heads.clear()
            tails.clear()

    def verify(self):
        position = self.reader.tell()
        self.reader.close()
        done = position // self.chunk
        expected = [self.passes + (k < done) for k in range(self.records)]
        problems = []
        if position % self.chunk:
            problems.append(f"the reader stopped at byte {position}, inside a record")
        if self.torn:
            problems.append(f"{self.torn} reads did not return one whole record")
        wrong = sum(1 for got, want in zip(self.counts, expected) if got != want)
        if wrong:
            problems.append(f"{wrong} of {self.records} records were not read exactly "
                            f"{self.passes} or {self.passes + 1} times as expected")
        if sum(self.reads) != self.passes * self.records + done:
            problems.append(f"{sum(self.reads)} reads for {self.passes} passes and {done} records")

        def digest(counts):
            return hashlib.sha256(",".join(map(str, counts)).encode()).hexdigest()

        return not problems, digest(self.counts), digest(expected), "; ".join(problems)
