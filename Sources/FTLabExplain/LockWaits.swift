import Foundation

/// One system call's totals for one thread, from `perf trace -s`.
public struct SyscallSummary: Sendable, Equatable {
    public var calls: Int
    public var errors: Int
    /// Total time spent inside the call, in milliseconds.
    public var totalMilliseconds: Double
}

/// Futex calls and time per worker thread: how often and how long threads slept on locks,
/// conditions and semaphores. Covers each worker's whole life (calibration warmups included).
public struct LockWaits: Sendable, Equatable {
    /// One entry per worker thread, in thread order (zero when the thread made no futex call).
    public var threads: [SyscallSummary]
    /// How long the workers lived: the wall time of every sample of the traced process.
    public var seconds: Double

    /// Mean futex calls per thread per second of the workers' life.
    public var callsPerThreadPerSecond: Double {
        guard !threads.isEmpty, seconds > 0 else { return 0 }
        return Double(threads.map(\.calls).reduce(0, +)) / Double(threads.count) / seconds
    }

    /// Mean share of a worker's life spent inside futex calls.
    public var meanTimeShare: Double {
        guard !threads.isEmpty, seconds > 0 else { return 0 }
        return threads.map(\.totalMilliseconds).reduce(0, +) / 1000 / Double(threads.count) / seconds
    }
}

extension LockWaits {
    /// Picks the workers' futex lines out of a `perf trace -s` summary.
    public init(summary: [Int: [String: SyscallSummary]], tids: [Int], seconds: Double) {
        let none = SyscallSummary(calls: 0, errors: 0, totalMilliseconds: 0)
        self.init(threads: tids.map { summary[$0]?["futex"] ?? none }, seconds: seconds)
    }
}

/// Parses the summary `perf trace -s` prints: one block per thread, headed
/// ` COMM (TID), N events, P%`, then one row per system call
/// (`name calls errors total min avg max stddev%`, times in milliseconds).
public enum PerfTraceSummary {
    public static func parse(_ text: String) -> [Int: [String: SyscallSummary]] {
        var result: [Int: [String: SyscallSummary]] = [:]
        var tid: Int?
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("%"), line.contains(" events, "), let open = line.lastIndex(of: "("),
               let close = line[open...].firstIndex(of: ")") {
                tid = Int(line[line.index(after: open)..<close])
                continue
            }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let current = tid, fields.count >= 4, let calls = Int(fields[1]), let errors = Int(fields[2]),
                  let total = Double(fields[3]) else { continue }
            result[current, default: [:]][String(fields[0])] = SyscallSummary(
                calls: calls, errors: errors, totalMilliseconds: total)
        }
        return result
    }
}
