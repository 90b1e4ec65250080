import Foundation
import Testing
import FTLabCore
import FTLabRunner

/// The run session called as a library (what `ftlab run` does after parsing), without
/// spawning the ftlab binary: rows, exit status, resume and the footer come from the value.
extension LoadSensitiveTests {
    @Suite("run session", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
    struct RunSessionTests {
        /// One process of two short samples on the pinned GIL build at 1 thread.
        static func options(_ selector: String, output: String) -> RunSession.Options {
            var options = RunSession.Options()
            options.selectors = [selector]
            options.pythons = [PinnedPair.gil]
            options.threads = [1]
            options.allocators = ["system"]
            options.repetition = Repetition(processes: 1, samples: 2, warmups: 1, targetSeconds: 0.02)
            options.output = output
            options.quiet = true
            return options
        }

        @Test("a verified run: its rows, exit status 0, the footer names the file; resume runs nothing again")
        func verifiedRunThenResume() async throws {
            let csv = TestPaths.scratch() + "/session.csv"
            // The outcome holds the output's lock until it goes: the first run's is scoped.
            let rows: [ResultRow]
            do {
                let outcome = try await RunSession(launcher: TestPaths.ftlab, Self.options("log-processing/partitioned", output: csv)).run()
                #expect(outcome.exitStatus == 0)
                #expect(outcome.report.processesRun == 1)
                #expect(outcome.rows.count == 2 && outcome.rows.allSatisfy { $0.status == .ok })
                #expect(outcome.rows.map(\.interpreter) == [PinnedPair.gil, PinnedPair.gil])
                #expect(try ResultReader(path: csv).rows == outcome.rows, "the rows are the file's")
                #expect(outcome.footer.contains { $0.hasPrefix("results: \(outcome.output.path) (2 rows") })
                #expect(outcome.footer.contains { $0.hasPrefix("load average: ") })
                rows = outcome.rows
            }
            var again = Self.options("log-processing/partitioned", output: csv)
            again.resume = true
            let resumed = try await RunSession(launcher: TestPaths.ftlab, again).run()
            #expect(resumed.report.processesRun == 0, "a complete configuration is not run again")
            #expect(resumed.rows == rows)
            #expect(resumed.exitStatus == 0)
        }

        @Test("a workload whose output check fails: a failed row and exit status 1, no throw")
        func failedVerification() async throws {
            let csv = TestPaths.scratch() + "/lies.csv"
            var options = Self.options("lies", output: csv)
            options.workloadsDirectories = [TestPaths.fixtures + "/faulty-workloads"]
            let outcome = try await RunSession(launcher: TestPaths.ftlab, options).run()
            #expect(outcome.exitStatus == 1)
            #expect(!outcome.rows.isEmpty && outcome.rows.allSatisfy { $0.status == .failed })
            #expect(outcome.rows.allSatisfy { $0.message.contains("verification failed") }, "\(outcome.rows.map(\.message))")
        }

        @Test("bad input throws before anything runs: an unknown workload")
        func unknownWorkload() async throws {
            let csv = TestPaths.scratch() + "/unknown.csv"
            await #expect(throws: (any Error).self) {
                _ = try await RunSession(launcher: TestPaths.ftlab, Self.options("no-such-workload", output: csv)).run()
            }
            #expect(!FileManager.default.fileExists(atPath: csv))
        }
    }
}
