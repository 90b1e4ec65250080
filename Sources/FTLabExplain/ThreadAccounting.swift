import FTLabCore
import FTLabHarness
/// Where one worker thread's wall time went over the measured samples of a process.
public struct ThreadTime: Sendable, Equatable {
    /// Native thread id (the last one seen; workers live for the whole process).
    public var tid: Int
    public var windowNanoseconds = 0
    public var onCPUNanoseconds = 0
    public var runnableNanoseconds = 0
    /// Done with its batch, waiting for the slower threads.
    public var afterFinishNanoseconds = 0
    public var ctxVoluntary = 0
    public var ctxInvoluntary = 0

    /// Wall time inside the work neither on a CPU nor waiting for one: locks, I/O, sleeps.
    public var blockedNanoseconds: Int {
        max(0, windowNanoseconds - onCPUNanoseconds - runnableNanoseconds - afterFinishNanoseconds)
    }

    public var onCPUShare: Double { share(onCPUNanoseconds) }
    public var runnableShare: Double { share(runnableNanoseconds) }
    public var blockedShare: Double { share(blockedNanoseconds) }
    public var afterFinishShare: Double { share(afterFinishNanoseconds) }
    public var windowSeconds: Double { Double(windowNanoseconds) / 1e9 }

    /// Voluntary context switches per second of window: how often the thread went to sleep.
    public var voluntaryPerSecond: Double { windowNanoseconds > 0 ? Double(ctxVoluntary) / windowSeconds : 0 }

    private func share(_ part: Int) -> Double {
        // Clamped: schedstat and the window are read a few microseconds apart.
        windowNanoseconds > 0 ? min(1, Double(part) / Double(windowNanoseconds)) : 0
    }
}

/// Per-thread time accounting of one process: the sum of its measured samples' `thread_stats`.
public struct ThreadAccounting: Sendable, Equatable {
    /// One entry per worker thread, in thread order.
    public var threads: [ThreadTime]
    /// Median throughput of the measured samples (ops per second).
    public var throughput: Double

    public var meanOnCPUShare: Double { mean(\.onCPUShare) }
    public var meanRunnableShare: Double { mean(\.runnableShare) }
    public var meanBlockedShare: Double { mean(\.blockedShare) }
    public var meanAfterFinishShare: Double { mean(\.afterFinishShare) }
    public var meanVoluntaryPerSecond: Double { mean(\.voluntaryPerSecond) }
    public var tids: [Int] { threads.map(\.tid) }

    private func mean(_ value: (ThreadTime) -> Double) -> Double {
        threads.isEmpty ? 0 : threads.map(value).reduce(0, +) / Double(threads.count)
    }
}

extension Array where Element == Int {
    /// The element at `index`, or 0 past the end (a short list from a broken harness).
    fileprivate func value(at index: Int) -> Int { index < count ? self[index] : 0 }
}

extension ThreadAccounting {
    /// Sums the measured (non-warmup) samples; nil when they carry no `thread_stats`.
    public init?(samples: [HarnessSample]) {
        let measured = samples.filter { !$0.warmup }
        let stats = measured.compactMap(\.threadStats)
        guard !stats.isEmpty, stats.count == measured.count else { return nil }
        var threads: [ThreadTime] = []
        for s in stats {
            for (i, tid) in s.tids.enumerated() {
                if i == threads.count { threads.append(ThreadTime(tid: tid)) }
                threads[i].tid = tid
                threads[i].windowNanoseconds += s.windowNanoseconds
                threads[i].onCPUNanoseconds += s.onCPUNanoseconds.value(at: i)
                threads[i].runnableNanoseconds += s.runnableNanoseconds.value(at: i)
                threads[i].afterFinishNanoseconds += s.afterFinishNanoseconds.value(at: i)
                threads[i].ctxVoluntary += s.ctxVoluntary.value(at: i)
                threads[i].ctxInvoluntary += s.ctxInvoluntary.value(at: i)
            }
        }
        let rates = measured.filter { $0.wallNanoseconds > 0 }
            .map { Double($0.ops) / (Double($0.wallNanoseconds) / 1e9) }
        self.init(threads: threads, throughput: rates.isEmpty ? 0 : Descriptive.median(rates))
    }
}
