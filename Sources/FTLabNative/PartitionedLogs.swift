import Foundation

/// log-processing/partitioned in Swift: worker i walks the generated lines cyclically from
/// its own offset (i * lines / threads), parses each into thread-local totals, and the totals
/// are merged only in verify(), which compares them with the generator's truth for exactly
/// the lines processed, as workload.py does.
package final class PartitionedLogs: NativeWorkload, @unchecked Sendable {
    /// A byte range of the input, hashed and compared by content: a dictionary key that
    /// costs no allocation (the input never moves while it lives).
    package struct Key: Hashable {
        package let start: UnsafePointer<UInt8>
        package let count: Int

        package static func == (a: Key, b: Key) -> Bool { a.count == b.count && memcmp(a.start, b.start, a.count) == 0 }
        package func hash(into hasher: inout Hasher) { hasher.combine(bytes: UnsafeRawBufferPointer(start: start, count: count)) }
        package var string: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }
    }

    /// One worker's totals and position; touched only by its own thread until verify().
    package final class Worker {
        package let start: Int
        package var processed = 0
        package var lines = 0
        package var errors = 0
        package var bytes = 0
        package var statuses = [Int](repeating: 0, count: 1000)
        package var paths: [Key: Int] = [:]
        package var ips = Set<Key>()

        package init(start: Int) { self.start = start }

        package func parse(_ line: UnsafeBufferPointer<UInt8>) {
            lines += 1
            guard let parsed = LogParser.parse(line) else {
                errors += 1
                return
            }
            let base = line.baseAddress!
            ips.insert(Key(start: base + parsed.ip.lowerBound, count: parsed.ip.count))
            paths[Key(start: base + parsed.path.lowerBound, count: parsed.path.count), default: 0] += 1
            statuses[parsed.status] += 1
            bytes &+= parsed.bytes
        }

        package var totals: LogTotals {
            var totals = LogTotals(lines: lines, errors: errors, bytes: bytes)
            for (status, count) in statuses.enumerated() where count > 0 {
                let digits = String(status)
                totals.statuses[String(repeating: "0", count: 3 - digits.count) + digits] = count
            }
            for (path, count) in paths { totals.paths[path.string] = count }
            totals.ips = Set(ips.map(\.string))
            return totals
        }
    }

    private let settings: NativeSettings
    private let lineCount: Int
    private var input: LogInput?
    private var workers: [Worker] = []

    package init(_ settings: NativeSettings) throws(NativeError) {
        self.settings = settings
        lineCount = try settings.positiveInt("lines")
        _ = try settings.positiveInt("chunk")  // checked as workload.py checks it; only pipeline uses it
    }

    package func prepare() async throws(NativeError) {
        let input = try await LogInput.generate(count: lineCount, seed: settings.seed, workloadDirectory: settings.directory,
                                             preferredPython: settings.inputPython)
        self.input = input
        workers = (0..<settings.threads).map { Worker(start: $0 * input.count / settings.threads) }
    }

    package func run(thread: Int, batch: Int) throws(NativeError) -> Int {
        guard let input else { return 0 }
        let worker = workers[thread]
        var position = (worker.start + worker.processed) % input.count
        var left = batch
        while left > 0 {
            let end = min(input.count, position + left)
            for index in position..<end { worker.parse(input.line(index)) }
            left -= end - position
            position = end % input.count
        }
        worker.processed += batch
        return batch
    }

    package func verify() throws(NativeError) -> NativeVerdict {
        guard let input else { return NativeVerdict(ok: false, checksum: "", expected: "", detail: "no input") }
        var got = LogTotals()
        for worker in workers { got.merge(worker.totals) }
        var cycle = LogTotals()
        for truth in input.truth { cycle.add(truth: truth) }
        let want = LogTotals.expected(workers.map { ($0.start, $0.processed) }, input: input, cycle: cycle)
        let ok = got.canonical() == want.canonical()
        return NativeVerdict(ok: ok, checksum: got.checksum(), expected: want.checksum(),
                             detail: ok ? "" : "the parsed totals differ from the generator's truth")
    }

    package func cleanup() {}
}
