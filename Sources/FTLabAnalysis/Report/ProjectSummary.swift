import Foundation
import FTLabCore

/// What a project's test suite measured (`ftlab project`) tells its maintainer: each test's
/// single-thread cost on the free-threaded build and how it scales, the suite's geometric mean
/// (its own PEP 779 line), the tests that fail only when threads run them at once, and the tests
/// that ran with the GIL re-enabled. Built from rows only; what collection knew (tests pinned to
/// one thread, with the reason) comes in as `oneThreadOnly`.
public struct ProjectSummary: Sendable {
    /// How one test fared.
    public enum Verdict: String, Sendable, Equatable {
        /// Speedup at the most threads measured is at least 70% of the thread count.
        case scales
        /// Between the two.
        case partly
        /// Speedup at the most threads below 55% of the thread count: the threads wait on each other.
        case contends
        /// Passed alone but failed when N threads ran it at once: a thread-safety finding.
        case failsInThreads = "fails in threads"
        /// Failed at one thread: the test itself fails (or errs) here.
        case failsAlone = "fails alone"
        /// The free-threaded build ran it with the GIL back on (an extension re-enabled it).
        case gilReenabled = "GIL re-enabled"
        /// pytest-run-parallel (or its marker) keeps it at one thread.
        case oneThreadOnly = "one thread only"
        /// Too few rows to say (one build or one thread count only).
        case unmeasured
    }

    /// One test's figures.
    public struct Test: Sendable {
        public let nodeid: String
        public var verdict: Verdict
        /// ft/gil median throughput at one thread (nil without both builds).
        public var singleThreadRatio: Double?
        /// Free-threaded build: thread count -> median throughput over that at one thread.
        public var speedups: [Int: Double] = [:]
        /// The first failure's message and where it happened.
        public var failure: (threads: Int, interpreter: String, message: String)?
        /// Why it runs at one thread only.
        public var oneThreadReason: String?
    }

    public let project: String
    /// The release(s) measured (`python_version`), e.g. `3.14.7`.
    public let releases: [String]
    public let tests: [Test]
    /// Geometric mean over the tests of ft/gil at one thread, with a bootstrap 95% interval over tests.
    public let singleThreadGeomean: (value: Double, low: Double, high: Double)?
    /// The most threads measured on the free-threaded build.
    public let maxThreads: Int

    /// Whether `row` comes from a project's test suite (`ftlab project`: `test_runner=pytest` in its params).
    public static func reads(_ row: ResultRow) -> Bool {
        ParamsBytes.holds(row.params, item: "test_runner=pytest")
    }

    /// One summary per project in `rows`, in order of appearance.
    public static func all(_ rows: [ResultRow]) -> [ProjectSummary] {
        var names: [String] = []
        for row in rows where reads(row) && !names.contains(row.workload) { names.append(row.workload) }
        return names.map { ProjectSummary(rows: rows, workload: $0) }
    }

    /// Summarises `workload`'s rows (one release: the newest present when several are).
    public init(rows: [ResultRow], workload: String, oneThreadOnly: [String: String] = [:]) {
        let mine = rows.filter { $0.workload == workload }
        let releases = Array(Set(mine.map(\.pythonVersion))).sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        let newest = releases.last
        let chosen = mine.filter { $0.pythonVersion == newest }
        let configurations = ConfigurationSamples.group(chosen)
        let pairs = BuildPair.pairs(configurations).filter { $0.freeThreaded.first.threads == 1 }
        var ratios: [String: Double] = [:]
        for pair in pairs { ratios[pair.freeThreaded.first.variant] = pair.throughputRatio }
        let maxThreads = chosen.filter { $0.build == "freethreaded" }.map(\.threads).max() ?? 1
        var tests: [Test] = []
        for (nodeid, group) in configurations.groupedInOrder(by: { $0.first.variant }) {
            var test = Test(nodeid: nodeid, verdict: .unmeasured, singleThreadRatio: ratios[nodeid])
            test.oneThreadReason = oneThreadOnly[nodeid]
            if test.oneThreadReason == nil, maxThreads > 1, !group.contains(where: { $0.first.threads > 1 }) {
                // The run skipped its other thread counts: the generated workload's max_threads.
                test.oneThreadReason = "thread-unsafe in pytest-run-parallel's verdict at collection"
            }
            let ft = group.filter { $0.first.build == "freethreaded" }
            if let base = ft.first(where: { $0.first.threads == 1 }), !base.ok.isEmpty {
                let one = Descriptive.median(base.values { $0.throughput })
                for c in ft where c.first.threads > 1 && !c.ok.isEmpty && c.notOK.isEmpty {
                    test.speedups[c.first.threads] = Descriptive.median(c.values { $0.throughput }) / one
                }
            }
            let failedAlone = group.first { $0.first.threads == 1 && !$0.notOK.isEmpty }
            let failedInThreads = group.first { c in
                c.first.threads > 1 && !c.notOK.isEmpty
                    && group.contains { $0.first.threads == 1 && $0.first.interpreter == c.first.interpreter && $0.notOK.isEmpty && !$0.ok.isEmpty }
            }
            if let failedAlone {
                test.verdict = .failsAlone
                test.failure = (1, failedAlone.first.interpreter, failedAlone.notOK[0].message)
            } else if let failedInThreads {
                test.verdict = .failsInThreads
                test.failure = (failedInThreads.first.threads, failedInThreads.first.interpreter, failedInThreads.notOK[0].message)
            } else if chosen.contains(where: { $0.variant == nodeid && $0.build == "freethreaded" && $0.gilEnabled == true }) {
                test.verdict = .gilReenabled
            } else if test.oneThreadReason != nil {
                test.verdict = .oneThreadOnly
            } else if let (threads, speedup) = test.speedups.max(by: { $0.key < $1.key }) {
                let efficiency = speedup / Double(threads)
                test.verdict = efficiency >= 0.7 ? .scales : efficiency < 0.55 ? .contends : .partly
            }
            tests.append(test)
        }
        self.project = workload
        self.releases = releases
        self.tests = tests
        self.maxThreads = maxThreads
        let values = tests.compactMap(\.singleThreadRatio).filter { $0.isFinite && $0 > 0 }
        self.singleThreadGeomean = Self.geomeanInterval(values)
    }

    /// The geometric mean of `values` and a percentile-bootstrap 95% interval, resampling the tests.
    static func geomeanInterval(_ values: [Double], resamples: Int = 2000) -> (value: Double, low: Double, high: Double)? {
        guard !values.isEmpty else { return nil }
        let logs = values.map(Foundation.log)
        var generator = SeededGenerator(seed: 0x5EED)
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var sum = 0.0
            for _ in logs.indices { sum += logs[Int.random(in: 0..<logs.count, using: &generator)] }
            means.append(sum / Double(logs.count))
        }
        means.sort()
        let value = exp(logs.reduce(0, +) / Double(logs.count))
        return (value, exp(Descriptive.quantile(sorted: means, 0.025)), exp(Descriptive.quantile(sorted: means, 0.975)))
    }

    /// The count of tests per verdict, in the enum's order.
    public var counts: [(Verdict, Int)] {
        let order: [Verdict] = [.scales, .partly, .contends, .failsInThreads, .failsAlone, .gilReenabled, .oneThreadOnly, .unmeasured]
        return order.compactMap { verdict in
            let n = tests.filter { $0.verdict == verdict }.count
            return n > 0 ? (verdict, n) : nil
        }
    }

    /// The summary as text. `explain(nodeid, threads)` gives the command that explains a test.
    public func text(explain: (String, Int) -> String = { _, _ in "" }) -> String {
        let release = releases.last.map { "CPython \($0)" } ?? "no release"
        var lines = ["project \(project): \(tests.count) tests measured on \(release)"]
        if let g = singleThreadGeomean {
            lines.append("  single thread, free-threaded/GIL throughput (geometric mean over \(tests.compactMap(\.singleThreadRatio).count) tests): "
                + "\(NumberFormat.ratio(g.value)) [95% CI \(NumberFormat.ratio(g.low)) to \(NumberFormat.ratio(g.high))], "
                + "i.e. \(NumberFormat.percent(1 / g.value - 1, signed: true)) time per test (PEP 779's line: +15%)")
        }
        lines.append("  verdicts: " + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "))
        let scaled = tests.compactMap { t in t.speedups[maxThreads].map { (t, $0) } }
        if !scaled.isEmpty, maxThreads > 1 {
            let values = scaled.map(\.1).sorted()
            lines.append("  speedup at \(maxThreads) threads (free-threaded): min \(NumberFormat.ratio(values.first!)), "
                + "median \(NumberFormat.ratio(Descriptive.quantile(sorted: values, 0.5))), max \(NumberFormat.ratio(values.last!))")
            lines.append("  least scaling:")
            for (test, speedup) in scaled.sorted(by: { $0.1 < $1.1 }).prefix(10) {
                let command = explain(test.nodeid, maxThreads)
                lines.append("    \(NumberFormat.ratio(speedup))  \(test.nodeid)" + (command.isEmpty ? "" : "\n          why: \(command)"))
            }
        }
        let failing = tests.filter { $0.failure != nil }
        if !failing.isEmpty {
            lines.append("  failures:")
            for test in failing {
                guard let f = test.failure else { continue }
                let what = test.verdict == .failsInThreads ? "thread-safety finding: passes alone, fails at \(f.threads) threads" : "fails alone"
                lines.append("    \(test.nodeid) (\(what), \(f.interpreter)): \(f.message.prefix(300))")
            }
        }
        let gil = tests.filter { $0.verdict == .gilReenabled }
        if !gil.isEmpty { lines.append("  GIL re-enabled while running: " + gil.map(\.nodeid).joined(separator: ", ")) }
        let single = tests.filter { $0.oneThreadReason != nil }
        for test in single { lines.append("  one thread only: \(test.nodeid) (\(test.oneThreadReason!))") }
        return lines.joined(separator: "\n")
    }
}
