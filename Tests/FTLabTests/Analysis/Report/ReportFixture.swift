import Foundation
import FTLabCore
import FTLabAnalysis

/// Synthetic runs for the report tests: known medians, tight noise, every kind of curve.
enum ReportFixture {
    /// A 2-CPU run of log-processing/partitioned on both builds at 1, 2 and 3 threads with
    /// the system and jemalloc allocators (GIL: 100, 100, 95; free-threaded: 80, 150, 140;
    /// jemalloc 10% faster), a native ceiling at 1000 per thread, and one crashed process.
    static func run(runID: String = "run-a", host: String = "lab-1", seed: UInt64 = 7) -> [ResultRow] {
        var noise = Noise(seed: seed)
        var rows: [ResultRow] = []
        let medians: [(Setup, [Int: Double])] = [
            (Setup.gil, [1: 100, 2: 100, 3: 95]),
            (Setup.freeThreaded, [1: 80, 2: 150, 3: 140]),
            (Setup(interpreter: ReportSeries.nativeInterpreter, pythonVersion: "", build: "native"), [1: 1000, 2: 2000, 3: 2000]),
        ]
        for (setup, byThreads) in medians {
            for threads in [1, 2, 3] {
                for allocator in ["system", "jemalloc"] where setup.build != "native" || allocator == "system" {
                    let mean = byThreads[threads]! * (allocator == "jemalloc" ? 1.1 : 1)
                    let configured = setup.with { $0.threads = threads; $0.allocator = allocator; $0.variant = "partitioned" }
                    rows += configured.rows(throughput: noise.sample(count: 9, mean: mean, cv: 0.01), rssKiB: 20_000,
                                            runID: runID)
                }
            }
        }
        rows.append(Setup.freeThreaded.with { $0.threads = 3; $0.variant = "partitioned" }
            .notOK(.failed, process: 7, message: "Segmentation fault <core dumped> & \"gone\"", runID: runID))
        return rows.map { row in
            var row = row
            row.host = host
            row.cpusOnline = 2
            row.cpuModel = "Test CPU @ 2.0GHz"
            row.kernel = "6.1.0-test"
            row.startedUTC = "2026-11-27T03:00:00Z"
            return row
        }
    }

    /// An http-handling-like run with latency percentiles, on both builds at 1 and 2 threads.
    static func latencyRun() -> [ResultRow] {
        var noise = Noise(seed: 11)
        return [Setup.gil, Setup.freeThreaded].flatMap { setup in
            [1, 2].flatMap { threads in
                setup.with { $0.workload = "http-handling"; $0.variant = "thread-pool"; $0.threads = threads }
                    .rows(throughput: noise.sample(count: 6, mean: 2000, cv: 0.01),
                          latencyP99: noise.sample(count: 6, mean: 4000, cv: 0.05), runID: "run-a")
                    .map { row in
                        var row = row
                        row.latencyP50us = 450
                        row.latencyP999us = 20_000
                        row.unit = "requests"
                        return row
                    }
            }
        }
    }

    /// A workload whose every process failed.
    static func failedOnly() -> [ResultRow] {
        [Setup.gil.with { $0.workload = "broken"; $0.variant = "always" }.notOK(.failed, process: 1, message: "boom", runID: "run-a"),
         Setup.gil.with { $0.workload = "broken"; $0.variant = "always" }.notOK(.timeout, process: 2, message: "killed", runID: "run-a")]
    }

    /// Writes `rows` to a fresh CSV file and returns its path.
    static func write(_ rows: [ResultRow], name: String = "run.csv") throws -> String {
        try writeResults(rows, to: try temporaryDirectory(), name: name)
    }
}
