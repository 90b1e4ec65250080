"""log-processing: parse synthetic Apache combined-format access logs and aggregate totals.

Each line gives a client IP, a path (query string dropped), a status and a byte count.
Totals: lines, parse errors, bytes, counts per status, counts per path, distinct IPs.

The input is generated from the seed in prepare(). The generator records the truth of every
line it writes (or that it deliberately broke it), so verify() can compute the exact totals
expected for exactly the lines processed, independently of the parser.
"""

import hashlib
import json
import queue
import random
import re
import sys
import threading
import time

LINE = re.compile(
    r'(?P<ip>\S+) \S+ \S+ \[[^\]]+\] '
    r'"[A-Z]+ (?P<path>[^\s?"]+)(?:\?[^\s"]*)? HTTP/\d\.\d" '
    r'(?P<status>\d{3}) (?P<bytes>\d+|-) "[^"]*" "[^"]*"'
)
MALFORMED_SHARE = 100  # one line in this many is malformed
PIPELINE_QUEUE_CHUNKS_PER_PARSER = 4  # bound of the reader -> parsers queue


def create(variant, threads, params, seed):
    """The workload object for `variant` (see workload.toml)."""
    variants = {"partitioned": Partitioned, "shared-lock": SharedLock, "pipeline": Pipeline}
    if variant not in variants:
        raise ValueError(f"unknown variant {variant!r}")
    return variants[variant](threads, params, seed)


class Totals:
    """Aggregated totals over some lines."""

    __slots__ = ("lines", "errors", "bytes", "statuses", "paths", "ips")

    def __init__(self):
        self.lines = self.errors = self.bytes = 0
        self.statuses = {}
        self.paths = {}
        self.ips = set()

    def merge(self, other, times=1):
        """Add `other`'s totals `times` over (distinct IPs are a union)."""
        self.lines += other.lines * times
        self.errors += other.errors * times
        self.bytes += other.bytes * times
        for mine, theirs in ((self.statuses, other.statuses), (self.paths, other.paths)):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count * times
        self.ips |= other.ips

    def add_truth(self, truth):
        """Add one generated line from its recorded truth (None: a malformed line)."""
        self.lines += 1
        if truth is None:
            self.errors += 1
            return
        ip, path, status, size = truth
        self.ips.add(ip)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.paths[path] = self.paths.get(path, 0) + 1
        self.bytes += size

    def canonical(self):
        """A canonical JSON serialisation of the totals."""
        return json.dumps(
            {"lines": self.lines, "errors": self.errors, "bytes": self.bytes,
             "statuses": self.statuses, "paths": self.paths, "ips": sorted(self.ips)},
            sort_keys=True, separators=(",", ":"),
        )

    def checksum(self):
        return hashlib.sha256(self.canonical().encode()).hexdigest()


def parse_into(totals, lines):
    """Parse `lines` into `totals`, which no other thread touches meanwhile."""
    match = LINE.fullmatch
    statuses, paths, add_ip = totals.statuses, totals.paths, totals.ips.add
    errors = size = 0
    for line in lines:
        m = match(line)
        if m is None:
            errors += 1
            continue
        ip, path, status, nbytes = m.groups()
        add_ip(ip)
        statuses[status] = statuses.get(status, 0) + 1
        paths[path] = paths.get(path, 0) + 1
        if nbytes != "-":
            size += int(nbytes)
    totals.lines += len(lines)
    totals.errors += errors
    totals.bytes += size


def segments(start, count, n):
    """Index ranges (lo, hi) covering `count` positions of a cycle of `n`, from `start`."""
    while count > 0:
        lo = start % n
        hi = min(n, lo + count)
        yield lo, hi
        count -= hi - lo
        start = hi


class LogProcessing:
    """What all variants share: parameters, the generated input, verification."""

    def __init__(self, threads, params, seed):
        self.threads = threads
        self.line_count = positive_int(params, "lines")
        self.chunk = positive_int(params, "chunk")
        self.seed = seed

    def prepare(self):
        self.lines, self.truth = generate(self.line_count, random.Random(self.seed))
        self.cycle = Totals()  # the expected totals of one pass over all lines
        for truth in self.truth:
            self.cycle.add_truth(truth)

    def expected(self, ranges):
        """Expected totals over the cyclic line ranges [(start, count), ...]."""
        totals = Totals()
        n = len(self.truth)
        for start, count in ranges:
            full, rest = divmod(count, n)
            if full:
                totals.merge(self.cycle, times=full)
            for lo, hi in segments(start, rest, n):
                for truth in self.truth[lo:hi]:
                    totals.add_truth(truth)
        return totals

    def verify(self):
        got, want = self.result(), self.expected(self.ranges())
        return got.canonical() == want.canonical(), got.checksum(), want.checksum()


class Sliced(LogProcessing):
    """Worker thread i walks the lines cyclically from its own offset, i * lines / threads."""

    def prepare(self):
        super().prepare()
        self.starts = [i * len(self.lines) // self.threads for i in range(self.threads)]
        self.processed = [0] * self.threads

    def take(self, index, batch):
        """The next `batch` lines of thread `index`, as a few list slices."""
        start = self.starts[index] + self.processed[index]
        self.processed[index] += batch
        for lo, hi in segments(start, batch, len(self.lines)):
            yield self.lines[lo:hi]

    def ranges(self):
        return list(zip(self.starts, self.processed))


class Partitioned(Sliced):
    """Thread-local totals; merged only in verify()."""

    def prepare(self):
        super().prepare()
        self.local = [Totals() for _ in range(self.threads)]

    def run(self, index, batch):
        totals = self.local[index]
        for lines in self.take(index, batch):
            parse_into(totals, lines)
        return batch

    def result(self):
        merged = Totals()
        for totals in self.local:
            merged.merge(totals)
        return merged


class SharedLock(Sliced):
    """One shared Totals behind one threading.Lock, taken once per line (parsing is outside)."""

    def prepare(self):
        super().prepare()
        self.lock = threading.Lock()
        self.totals = Totals()

    def run(self, index, batch):
        match, lock, totals = LINE.fullmatch, self.lock, self.totals
        statuses, paths, ips = totals.statuses, totals.paths, totals.ips
        for lines in self.take(index, batch):
            for line in lines:
                m = match(line)
                if m is None:
                    with lock:
                        totals.lines += 1
                        totals.errors += 1
                    continue
                ip, path, status, nbytes = m.groups()
                size = 0 if nbytes == "-" else int(nbytes)
                with lock:
                    totals.lines += 1
                    totals.bytes += size
                    statuses[status] = statuses.get(status, 0) + 1
                    paths[path] = paths.get(path, 0) + 1
                    ips.add(ip)
        return batch

    def result(self):
        return self.totals


class Pipeline(LogProcessing):
    """Reader -> queue.Queue -> N parser threads -> aggregator.

    The reader and the aggregator are the harness's coordinator (the main thread, inside
    the timed span); the N worker threads are the parsers. Per sample the reader feeds
    threads * batch lines in chunks of `chunk` lines, then one end marker per parser.
    Each parser puts one partial Totals per chunk on the results queue, and an end marker
    when done; the aggregator merges the partials once everything has been fed.
    """

    def prepare(self):
        super().prepare()
        self.inbox = queue.Queue(maxsize=PIPELINE_QUEUE_CHUNKS_PER_PARSER * self.threads)
        self.outbox = queue.Queue()
        self.totals = Totals()
        self.fed = 0

    def coordinator(self, batch):
        count, put, lines = batch * self.threads, self.inbox.put, self.lines
        for lo, hi in segments(self.fed, count, len(lines)):
            for first in range(lo, hi, self.chunk):
                put(lines[first : min(first + self.chunk, hi)])
        self.fed += count
        for _ in range(self.threads):
            put(None)
        get, totals, finished = self.outbox.get, self.totals, 0
        while finished < self.threads:
            partial = get()
            if partial is None:
                finished += 1
            else:
                totals.merge(partial)

    def run(self, index, batch):
        get, put, parsed = self.inbox.get, self.outbox.put, 0
        while (chunk := get()) is not None:
            partial = Totals()
            parse_into(partial, chunk)
            put(partial)
            parsed += len(chunk)
        put(None)
        return parsed

    def result(self):
        return self.totals

    def ranges(self):
        return [(0, self.fed)]


def positive_int(params, name):
    value = params[name]
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"param {name!r} must be a positive integer, not {value!r}")
    return int(value)


# ---- the generator -------------------------------------------------------------------

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Wget/1.21.4",
    "-",
]
WORDS = "alpha beta caf%C3%A9 data delta garden kettle linux lamp python river tent zebra".split()
CATEGORIES = ["books", "garden", "kitchen", "outdoor", "toys"]
STATIC = [("css", "site", "css"), ("js", "app", "js"), ("js", "vendor", "js"),
          ("img", "logo", "png"), ("img", "hero", "jpg"), ("fonts", "inter", "woff2")]
BUILDS = ["3f9a1c2e", "a41b77d0", "c0ffee42"]  # asset fingerprints of recent deployments
SCANNER_PATHS = ["/wp-login.php", "/.env", "/admin/config.php", "/phpmyadmin/index.php",
                 "/.git/config", "/cgi-bin/luci"]
PAGES = ["/", "/index.html", "/about", "/contact", "/cart", "/checkout", "/login",
         "/favicon.ico", "/robots.txt", "/sitemap.xml"]


def generate(count, rng):
    """`count` log lines and, for each, its truth (ip, path, status, bytes) or None."""
    ips = [_ip(rng) for _ in range(max(50, count // 8))]
    popularity = [rng.paretovariate(1.2) for _ in ips]
    clients = rng.choices(ips, weights=popularity, k=count)
    malformed = set(rng.sample(range(count), count // MALFORMED_SHARE))
    zone = rng.choice(["+0000", "-0700", "+0100", "+0530"])
    clock = 1_710_028_800.0  # 2024-03-10 00:00:00, about 20 requests a second
    lines, truth = [], []
    for i in range(count):
        clock += rng.expovariate(20.0)
        ip = clients[i]
        method, path, query, status = _request(rng)
        size = 0 if status in ("204", "304") or method == "HEAD" else int(
            rng.lognormvariate(8.0 if int(status) < 400 else 6.0, 1.2))
        line = '{} - {} [{}] "{} {}{} {}" {} {} "{}" "{}"'.format(
            ip, rng.choice(["alice", "bob", "deploy"]) if rng.random() < 0.04 else "-",
            _timestamp(clock, zone), method, path, query,
            rng.choices(["HTTP/1.1", "HTTP/2.0", "HTTP/1.0"], [85, 10, 5])[0],
            status, size if size else "-", _referer(rng), rng.choice(USER_AGENTS),
        )
        if i in malformed:
            lines.append(_break(line, rng))
            truth.append(None)
        else:
            lines.append(line)
            truth.append((ip, path, status, size))
    return lines, truth


def _ip(rng):
    if rng.random() < 0.06:
        return "2001:db8:{:x}:{:x}::{:x}".format(*(rng.randrange(1, 0xFFFF) for _ in range(3)))
    return "{}.{}.{}.{}".format(rng.choice([23, 31, 45, 66, 81, 93, 104, 142, 172, 185, 203]),
                                *(rng.randrange(256) for _ in range(2)), rng.randrange(1, 255))


def _timestamp(clock, zone):
    t = time.gmtime(clock)
    return "{:02d}/{}/{}:{:02d}:{:02d}:{:02d} {}".format(
        t.tm_mday, MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec, zone)


def _request(rng):
    """(method, path, query string, status) for one plausible request."""
    kind = rng.choices(["page", "static", "api", "product", "blog", "search", "scanner"],
                       [20, 30, 20, 12, 6, 8, 4])[0]
    method, query = "GET", ""
    if kind == "page":
        path = rng.choice(PAGES)
        if path == "/login" and rng.random() < 0.5:
            method = "POST"
            status = rng.choices(["302", "200", "401"], [70, 10, 20])[0]
        else:
            status = rng.choices(["200", "304", "301", "404"], [80, 12, 4, 4])[0]
    elif kind == "static":
        folder, name, ext = rng.choice(STATIC)
        path = f"/static/{folder}/{name}.{rng.choice(BUILDS)}.{ext}"
        if rng.random() < 0.2:
            query = f"?v={rng.randrange(1, 40)}"
        method = "HEAD" if rng.random() < 0.03 else "GET"
        status = rng.choices(["200", "304", "206", "404"], [70, 25, 2, 3])[0]
    elif kind == "api":
        user = rng.randrange(1, 5000)
        path = rng.choice([f"/api/v1/users/{user}", f"/api/v1/orders/{user * 7}/items",
                           "/api/v1/cart", "/api/v1/session"])
        method = rng.choices(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
                             [60, 20, 8, 4, 4, 4])[0]
        if method == "GET" and rng.random() < 0.4:
            query = f"?fields=id,name,email&limit={rng.choice([10, 50, 100])}"
        status = rng.choices(["200", "201", "204", "400", "401", "404", "500", "503"],
                             [70, 8, 6, 5, 3, 4, 2, 2])[0]
    elif kind == "product":
        category = rng.choice(CATEGORIES)
        path = f"/products/{category}/{rng.choice(WORDS)}-{rng.randrange(1, 900)}"
        if rng.random() < 0.3:
            query = "?utm_source={}&utm_medium=email&utm_campaign=spring-{}".format(
                rng.choice(["newsletter", "partner", "social"]), rng.randrange(1, 9))
        status = rng.choices(["200", "304", "404", "500"], [85, 8, 6, 1])[0]
    elif kind == "blog":
        path = "/blog/{}/{:02d}/{}-{}".format(rng.choice([2022, 2023, 2024]),
                                              rng.randrange(1, 13), rng.choice(WORDS),
                                              rng.choice(WORDS))
        status = rng.choices(["200", "304", "301"], [85, 10, 5])[0]
    elif kind == "search":
        path = "/search"
        query = "?q={}+{}&page={}".format(rng.choice(WORDS), rng.choice(WORDS),
                                          rng.randrange(1, 6))
        status = rng.choices(["200", "400"], [97, 3])[0]
    else:
        path = rng.choice(SCANNER_PATHS)
        method = rng.choice(["GET", "POST"])
        status = rng.choices(["404", "403", "400"], [80, 15, 5])[0]
    return method, path, query, status


def _referer(rng):
    roll = rng.random()
    if roll < 0.35:
        return "-"
    if roll < 0.75:
        return "https://www.example.com/" + rng.choice(["", "products/garden", "blog", "cart"])
    if roll < 0.9:
        return "https://www.google.com/search?q={}+{}".format(rng.choice(WORDS),
                                                              rng.choice(WORDS))
    return rng.choice(["https://duckduckgo.com/", "https://t.co/x9Kq2", "android-app://com.slack"])


def _break(line, rng):
    """A deliberately malformed line that no combined-format parser may accept."""
    kind = rng.randrange(4)
    if kind == 0:
        return line[: rng.randrange(1, len(line) - 1)]  # truncated write
    if kind == 1:
        return ""
    if kind == 2:  # a syslog line in the wrong file
        return "Mar 10 06:25:01 web-1 CRON[{}]: (root) CMD (debian-sa1 1 1)".format(
            rng.randrange(1000, 40000))
    return line.replace("[", "", 1).replace("]", "", 1)  # timestamp without brackets


def export(path, count, seed):
    """Writes the input prepare() generates, with its truth, as JSON {"lines", "truth"}:
    ftlab's native-swift implementation parses these very lines (`python3 workload.py
    export OUT.json LINES SEED`)."""
    lines, truth = generate(count, random.Random(seed))
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"lines": lines, "truth": truth}, out)


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "export":
        sys.exit("usage: workload.py export OUT.json LINES SEED")
    export(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
