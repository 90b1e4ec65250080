import Foundation
import Testing
import FTLabRunner
import FTLabAnalysis
import FTLabExplain

extension LoadSensitiveTests {
    /// `ftlab explain` end to end on the free-threaded lab interpreter. Needs the pair built, and
    /// perf (linux-perf, lab/packages.txt) for the lock-wait and profile checks. Short runs; the
    /// assertions compare two workloads measured alike, never absolute timings.
    @Suite("ftlab explain, end to end", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
    struct ExplainIntegrationTests {
        static let short = ["--python", PinnedPair.freeThreaded, "--threads", "2", "--samples", "2", "--target-seconds", "0.15", "--quiet"]
        /// Whether a working perf is here (`perf --version` must answer).
        static func perfAvailable() async -> Bool { await PerfTool.locate().path != nil }

        /// What the terminal output says about the (first) configuration.
        struct Report {
            var verdict: String
            /// Per target thread, from the table.
            var blocked: [Double] = []
            var voluntary: [Int] = []
            var futexCalls: [Int] = []

            init(_ text: String) {
                let lines = text.split(separator: "\n").map(String.init)
                verdict = lines.first { $0.hasPrefix("verdict: ") }.map { String($0.dropFirst(9)) } ?? ""
                guard let header = lines.firstIndex(where: { $0.hasPrefix("thread ") && $0.contains("blocked") }) else { return }
                for line in lines[(header + 2)...] {
                    let cells = line.split(separator: " ")
                    guard cells.count == 10, Int(cells[0]) != nil else { break }
                    blocked.append((Double(cells[4].dropLast()) ?? .nan) / 100)
                    voluntary.append(Int(cells[6]) ?? -1)
                    futexCalls.append(Int(cells[8]) ?? -1)
                }
            }

            var meanBlocked: Double { blocked.reduce(0, +) / Double(max(1, blocked.count)) }
            var meanFutexCalls: Double { Double(futexCalls.reduce(0, +)) / Double(max(1, futexCalls.count)) }
        }

        func explainScratch() -> Set<String> {
            let tmp = NSTemporaryDirectory()
            return Set(((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).filter { $0.hasPrefix("ftlab-explain-") })
        }

        @Test("shared-lock: a larger blocked share, more futex calls and a lock-waits verdict than partitioned",
              .tags(.needsPerf), .skippedInUnitRuns)
        func sharedLockAgainstPartitioned() async throws {
            let perf = await Self.perfAvailable()
            let scratchBefore = explainScratch()
            // When other processes (other tests, on 2 CPUs) keep the two threads from running at
            // the same time, there is no contention to see: such an attempt is measured again.
            var last: (shared: (status: Int32, stdout: String, stderr: String), partitioned: (status: Int32, stdout: String, stderr: String))?
            // On 3.13.5t: there the shared lock's waiters park (shared-lock reaches 0.08x at 2
            // threads). On 3.14.7t they hardly block (measured: blocked 1% against partitioned's
            // 0-3%, shared-lock 1.10x at 2 threads), so the contrast this test needs is 3.13's.
            let older = Self.short.map { $0 == PinnedPair.freeThreaded ? "cpython-3.13.5t" : $0 }
            for _ in 1...3 {
                let shared = try ftlab(["explain", "log-processing/shared-lock"] + older)
                let partitioned = try ftlab(["explain", "log-processing/partitioned"] + older)
                last = (shared, partitioned)
                if Self.contrast(Report(shared.stdout), Report(partitioned.stdout), perf: perf).isEmpty { break }
            }
            let (shared, partitioned) = try #require(last)
            #expect(shared.status == 0, "stderr: \(shared.stderr)")
            #expect(partitioned.status == 0, "stderr: \(partitioned.stderr)")
            let problems = Self.contrast(Report(shared.stdout), Report(partitioned.stdout), perf: perf)
            #expect(problems.isEmpty, "\(problems)\n\(shared.stdout)\n\(partitioned.stdout)")
            if perf {
                #expect(shared.stdout.contains("growing symbols"))
            } else {
                #expect(shared.stdout.contains("lock waits: not measured"))
            }
            #expect(explainScratch().subtracting(scratchBefore).isEmpty, "profiling data is removed afterwards")
        }

        /// What shared-lock must show against partitioned; empty when it does.
        static func contrast(_ s: Report, _ p: Report, perf perfAvailable: Bool) -> [String] {
            var problems: [String] = []
            if s.blocked.count != 2 || p.blocked.count != 2 { problems.append("no thread table") }
            if s.meanBlocked < p.meanBlocked + 0.05 { problems.append("blocked \(s.blocked) vs \(p.blocked)") }
            if s.voluntary.reduce(0, +) <= 5 * max(1, p.voluntary.reduce(0, +)) {
                problems.append("sleeps \(s.voluntary) vs \(p.voluntary)")
            }
            // Typically 1500 against 50 (partitioned's are the harness's barrier waits, mostly
            // during calibration); when the threads are often preempted, about 140 against 50.
            if perfAvailable && !(s.meanFutexCalls >= 100 && s.meanFutexCalls >= 2 * p.meanFutexCalls) {
                problems.append("futex calls \(s.futexCalls) vs \(p.futexCalls)")
            }
            if !s.verdict.hasPrefix("lock waits") { problems.append("shared-lock verdict: \(s.verdict)") }
            if p.verdict.contains("lock waits") { problems.append("partitioned verdict: \(p.verdict)") }
            return problems
        }

        /// `buffered-copy/shared-writer`: every thread writes records into one BufferedWriter.
        @Test("buffered-copy/shared-writer: the verdict names the writer's lock",
              .tags(.needsPerf), .skippedInUnitRuns, .enabled { await perfAvailable() })
        func sharedWriter() throws {
            // As for shared-lock: when other processes keep the two threads from running at the
            // same time, the writer's lock is not contended and the profile shows other growth;
            // such an attempt is measured again.
            var attempt: (status: Int32, stdout: String, stderr: String)?
            for _ in 1...3 {
                let run = try ftlab(["explain", "buffered-copy/shared-writer"] + Self.short)
                attempt = run
                let verdict = Report(run.stdout).verdict
                if run.status == 0, verdict.contains("under _io_BufferedWriter_write"),
                   verdict.contains("lock") || verdict.contains("critical section") { break }
            }
            let run = try #require(attempt)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let verdict = Report(run.stdout).verdict
            #expect(verdict.contains("under _io_BufferedWriter_write"), "\(run.stdout)")
            #expect(verdict.contains("lock") || verdict.contains("critical section"), "\(verdict)")
        }

        @Test("without perf: the time accounting and a verdict still come, the perf sections say why not; --html writes a section")
        func withoutPerf() throws {
            let html = TestPaths.scratch() + "/explain.html"
            let run = try ftlab(["explain", "log-processing/partitioned", "--param", "lines=2000", "--html", html] + Self.short,
                                environment: ["FTLAB_PERF": ""])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let report = Report(run.stdout)
            #expect(report.blocked.count == 2)
            #expect(report.futexCalls == [-1, -1], "no futex figures without perf")
            #expect(run.stdout.contains("lock waits: not measured: perf disabled (FTLAB_PERF is empty)"))
            #expect(run.stdout.contains("profile: perf disabled"))
            #expect(!report.verdict.isEmpty)
            let section = try String(contentsOfFile: html, encoding: .utf8)
            #expect(section.hasPrefix("<section class=\"ftlab-explain\""))
            #expect(section.contains("<svg") && section.contains("<strong>Verdict:</strong>"))
        }

        @Test("ExplainSession, called in-process: one configuration per interpreter, both thread counts accounted; a workload of several variants is refused first")
        func session() async throws {
            var options = ExplainSession.Options(selector: "log-processing/partitioned", threads: 2)
            options.pythons = [PinnedPair.freeThreaded]
            options.params = ["lines=2000"]
            options.samples = 2
            options.targetSeconds = 0.15
            options.quiet = true
            let explanation = try await ExplainSession(launcher: TestPaths.ftlab, options).run()
            #expect(explanation.workload == "log-processing/partitioned")
            let only = try #require(explanation.configurations.first)
            #expect(explanation.configurations.count == 1 && only.interpreter == PinnedPair.freeThreaded)
            #expect(only.target.threads.count == 2 && only.baseline.threads.count == 1 && only.target.throughput > 0)
            options.selector = "log-processing"
            await #expect(throws: ExplainError.self) { try await ExplainSession(launcher: TestPaths.ftlab, options).run() }
        }

        @Test("bad input exits 2 and names the bad value", arguments: [
            (["explain", "log-processing", "--threads", "2"], "log-processing/shared-lock"),
            (["explain", "log-processing/partitioned", "--threads", "1"], "--threads 1"),
            (["explain", "log-processing/nope", "--threads", "2"], "nope"),
            (["explain", "log-processing/partitioned", "--threads", "2", "--python", "/no/such/python"], "/no/such/python"),
            (["explain", "log-processing/partitioned", "--threads", "2", "--placement", "compact,none"], "compact,none"),
        ])
        func badInput(arguments: [String], named: String) throws {
            let run = try ftlab(arguments)
            #expect(run.status == 2, "stderr: \(run.stderr)")
            #expect(run.stderr.contains(named), "stderr: \(run.stderr)")
        }
    }
}
