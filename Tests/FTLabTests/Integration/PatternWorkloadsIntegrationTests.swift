import Foundation
import Testing
import FTLabCore
import FTLabRunner

extension LoadSensitiveTests {
    /// The pattern workloads (thread-state, stdio, handoff, shared-state) and buffered-copy's
    /// impl=_pyio, end to end on the lab pair: every variant verifies at 1 and 2 threads on both
    /// builds, their verifiers catch broken outputs, and bad parameters exit 2 before anything
    /// runs. Tiny settings; no timing asserts.
    @Suite("pattern workloads, end to end", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
    struct PatternWorkloadsIntegrationTests {
        /// Runs `selectors` on the pinned pair at 1 and 2 threads and checks every row.
        func everyVariant(_ selectors: [String], extra: [String] = [], variants: Set<String>, configurationsPerVariant: Int = 1) throws {
            let csv = TestPaths.scratch() + "/patterns.csv"
            let run = try ftlab(["run"] + selectors + ["--threads", "1,2", "-o", csv] + extra + RunIntegrationTests.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            // variants x params combinations x 2 builds x 2 thread counts x 2 samples
            #expect(rows.count == variants.count * configurationsPerVariant * 2 * 2 * 2)
            #expect(Set(rows.map(\.variant)) == variants)
            #expect(Set(rows.map(\.build)) == ["gil", "freethreaded"])
            #expect(Set(rows.map(\.threads)) == [1, 2])
            for row in rows {
                #expect(row.status == .ok, "\(row.variant) \(row.params) \(row.interpreter) x\(row.threads): \(row.message)")
                #expect(row.ops > 0 && row.throughput > 0)
                #expect(row.observedCPUs == row.cpus, "threads ran where planned")
            }
        }

        @Test("thread-state: every variant verified on both builds at 1 and 2 threads")
        func threadState() throws {
            try everyVariant(["thread-state"], variants: ["contextvar", "threading-local"])
        }

        @Test("stdio: every variant, C io and _pyio, a pipe and a tmpfs file, verified on both builds at 1 and 2 threads")
        func stdio() throws {
            try everyVariant(["stdio"], extra: ["--param", "impl=io", "--param", "impl=_pyio", "--param", "target=file", "--param", "target=pipe"],
                             variants: ["print", "logging", "logging-disabled"], configurationsPerVariant: 4)
        }

        @Test("handoff: every variant verified on both builds at 1 and 2 threads")
        func handoff() throws {
            try everyVariant(["handoff"], variants: ["queue", "event-ping-pong", "condition-ping-pong", "semaphore-pool",
                                                     "asyncio-to-thread", "asyncio-per-thread"])
        }

        @Test("shared-state: every variant verified on both builds at 1 and 2 threads")
        func sharedState() throws {
            try everyVariant(["shared-state"], variants: ["random-shared", "random-per-thread", "lru-cache", "dict-shared", "dict-per-thread"])
        }

        @Test("buffered-copy impl=_pyio: every variant verified on both builds at 1 and 2 threads")
        func bufferedCopyPyio() throws {
            let folder = try BufferedCopyIntegrationTests.fileFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try everyVariant(["buffered-copy"], extra: ["--param", "impl=_pyio", "--param", "dir=\(folder)"] + BufferedCopyIntegrationTests.tinyFiles,
                             variants: ["independent", "shared-writer", "shared-reader", "copyfileobj"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "cleanup() removed every file")
        }

        @Test("the verifiers catch a torn, lost or repeated record, a lost or doubled handoff, a wrong cached value")
        func verifiersCatchBreaks() throws {
            let run = try runProgram(PinnedPair.executable(.freethreaded),
                                     [TestPaths.fixtures + "/pattern-verifiers.py", TestPaths.builtinWorkloads])
            #expect(run.status == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("ok caught ") }.count == 17, "\(run.stdout)")
            #expect(lines.filter { $0.hasPrefix("ok clean ") }.count == 15, "\(run.stdout)")
            #expect(lines.allSatisfy { $0.hasPrefix("ok ") }, "\(run.stdout)")
        }

        @Test("bad parameters exit 2 before anything runs, naming the parameter", arguments: [
            (["stdio", "--param", "impl=cio"], "param 'impl' must be 'io' or '_pyio', not 'cio'"),
            (["buffered-copy", "--param", "impl=pyio"], "param 'impl' must be 'io' or '_pyio', not 'pyio'"),
            (["stdio", "--param", "target=socket"], "param 'target' must be 'file' or 'pipe', not 'socket'"),
            (["stdio", "--param", "dir=/nonexistent/ftlab-stdout"], "param 'dir': cannot open a file in '/nonexistent/ftlab-stdout'"),
            (["handoff", "--param", "size=0"], "param 'size' must be a positive integer"),
            (["shared-state", "--param", "keys=0"], "param 'keys' must be a positive integer"),
            (["thread-state", "--param", "reads=x"], "param 'reads' must be a positive integer"),
        ])
        func badParameters(arguments: [String], message: String) throws {
            let csv = TestPaths.scratch() + "/bad.csv"
            let run = try ftlab(["run"] + arguments + ["--threads", "1", "-o", csv] + RunIntegrationTests.tiny)
            #expect(run.status == 2, "stderr: \(run.stderr)")
            #expect(run.stderr.contains(message), "stderr: \(run.stderr)")
            #expect(!run.stderr.contains("running "), "nothing ran")
            let written = FileManager.default.fileExists(atPath: csv) ? try ResultReader(path: csv).rows : []
            #expect(written.isEmpty, "no row was written")
        }

        @Test("ftlab list shows the new workloads with their questions")
        func listed() throws {
            let list = try ftlab(["list"])
            #expect(list.status == 0)
            for question in ["contextvars or threading.local for per-thread/per-request state",
                             "What do print and logging to one shared stdout/stderr cost",
                             "What does handing work between threads cost",
                             "What do shared generators, caches and dicts cost",
                             "thread-state/contextvar", "stdio/logging-disabled", "handoff/asyncio-to-thread",
                             "shared-state/dict-per-thread", "impl=io  The I/O stack every timed open() uses"] {
                #expect(list.stdout.contains(question), "\(question)")
            }
        }
    }
}
