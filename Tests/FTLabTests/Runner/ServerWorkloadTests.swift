import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabHarness
@testable import FTLabInterpreters
@testable import FTLabLoadGen
@testable import FTLabRunner
@testable import FTLabAnalysis

/// Server workloads without processes: manifest, protocol messages, the plan, the verdict,
/// the rows and the summary.
@Suite("Server workloads")
struct ServerWorkloadTests {
    static func manifest(_ extra: String = "", variantExtra: String = "") throws -> WorkloadManifest {
        try WorkloadManifest.parse("""
            name = "s"
            description = "d"
            question = "q"
            unit = "requests"
            \(extra)
            [[variants]]
            name = "v"
            question = "q"
            \(variantExtra)
            """, path: "m")
    }

    @Test("manifests: batch by default, kind = \"server\", max_threads; bad values name themselves")
    func manifests() throws {
        #expect(try Self.manifest().kind == .batch)
        #expect(try Self.manifest().variants[0].maxThreads == nil)
        #expect(try Self.manifest(#"kind = "server""#, variantExtra: "max_threads = 1").kind == .server)
        #expect(try Self.manifest(variantExtra: "max_threads = 1").variants[0].maxThreads == 1)
        #expect(throws: WorkloadError.badManifest(path: "m", reason: #"`kind` must be batch or server, not "sideways""#)) {
            try Self.manifest(#"kind = "sideways""#)
        }
        #expect(throws: WorkloadError.badManifest(path: "m", reason: "variant v: max_threads must be at least 1")) {
            try Self.manifest(variantExtra: "max_threads = 0")
        }
        let http = try WorkloadCatalog.load().workload(named: "http-handling")
        #expect(http.manifest.kind == .server)
        #expect(http.manifest.variants.map(\.name) == ["thread-per-connection", "thread-pool", "asyncio", "asyncio-per-thread",
                                                       "waitress", "gunicorn", "uvicorn", "granian-wsgi", "granian-asgi"])
        #expect(http.manifest.requirements(for: "granian-wsgi").contains("granian==2.7.9"), "one granian on both builds")
        #expect(http.manifest.requirements(for: "thread-pool").isEmpty, "the stdlib servers need no packages")
        #expect(http.manifest.requirements(for: "waitress").contains { $0.hasPrefix("waitress") })
        #expect(http.manifest.variants.first { $0.name == "asyncio" }?.maxThreads == 1)
    }

    static let listening = #"{"type":"listening","host":"127.0.0.1","port":4242,"requests":[{"target":"/item/1","status":200,"length":3,"crc32":7}]}"#
    static let usage = #"{"type":"usage","served":5,"per_thread_served":[2,3],"cpu_user_s":0.5,"cpu_sys_s":0.1,"ctx_voluntary":4,"ctx_involuntary":1}"#

    @Test("usage counters that are negative break the protocol (the driver's differences cannot overflow)", arguments: [
        #"{"type":"usage","served":-1,"per_thread_served":[2,3],"cpu_user_s":0.5,"cpu_sys_s":0.1,"ctx_voluntary":4,"ctx_involuntary":1}"#,
        #"{"type":"usage","served":5,"per_thread_served":[2,-3],"cpu_user_s":0.5,"cpu_sys_s":0.1,"ctx_voluntary":4,"ctx_involuntary":1}"#,
        #"{"type":"usage","served":5,"per_thread_served":[2,3],"cpu_user_s":-0.5,"cpu_sys_s":0.1,"ctx_voluntary":4,"ctx_involuntary":1}"#,
        #"{"type":"usage","served":5,"per_thread_served":[2,3],"cpu_user_s":0.5,"cpu_sys_s":0.1,"ctx_voluntary":-9223372036854775808,"ctx_involuntary":1}"#,
    ])
    func negativeUsageRefused(line: String) throws {
        #expect(throws: (any Error).self) { try HarnessMessage.parse(line) }
        #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any], "valid JSON: only the check refuses it")
    }

    @Test("listening and usage messages: parsed, and only in their place")
    func protocolMessages() throws {
        var transcript = HarnessTranscript()
        for line in [HarnessProtocolTests.hello, Self.listening, Self.usage, HarnessProtocolTests.bye] {
            try transcript.accept(try HarnessMessage.parse(line), line: line)
        }
        #expect(transcript.listening?.port == 4242)
        #expect(transcript.listening?.requests == [RequestCheck(target: "/item/1", status: 200, length: 3, crc32: 7)])
        #expect(try HarnessMessage.parse(Self.usage) == .usage(HarnessUsage(
            served: 5, perThreadServed: [2, 3], cpuUserSeconds: 0.5, cpuSysSeconds: 0.1, ctxVoluntary: 4, ctxInvoluntary: 1)))
        #expect(HarnessTranscript.parse([HarnessProtocolTests.hello, Self.usage].joined(separator: "\n")).1 != nil)
        #expect(HarnessTranscript.parse(Self.listening).1 != nil, "listening before hello")
        let portZero = Self.listening.replacingOccurrences(of: "4242", with: "0")
        #expect(HarnessTranscript.parse([HarnessProtocolTests.hello, portZero].joined(separator: "\n")).1 != nil)
    }

    func plan(threads: [Int], params: [String] = [], topology: SysfsFixture = .thisMachine) throws -> RunPlan {
        var request = RunRequest()
        request.selectors = ["http-handling"]
        request.interpreters = [InterpreterChoice(label: "py", path: "/py")]
        request.threads = threads
        request.params = params
        return try RunPlan.make(request, catalog: try WorkloadCatalog.load(), topology: try topology.topology())
    }

    @Test("the plan: asyncio beyond 1 thread is skipped with the reason; the client gets the CPU the server leaves")
    func plan() throws {
        let plan = try plan(threads: [1, 2])
        #expect(!plan.configurations.contains { $0.variant == "asyncio" && $0.threads == 2 })
        #expect(plan.configurations.count == 17)  // 4 stdlib variants at 2 counts, less asyncio at 2; 5 PyPI servers at 2
        #expect(plan.skipped == ["http-handling/asyncio at 2 threads: the variant runs at most 1 thread (max_threads in its workload.toml)"])
        let one = try #require(plan.configurations.first { $0.threads == 1 })
        #expect(one.placement.threadCPUs == [0] && one.placement.clientCPUs == [1])
        let two = try #require(plan.configurations.first { $0.threads == 2 })
        #expect(two.placement.threadCPUs == [0, 1] && two.placement.clientCPUs == [1])
        #expect(plan.warnings.contains { $0.contains("shares CPU 1 with the server") })
        #expect(one.params["connections"] == "8" && one.params["rate"] == "0")
    }

    @Test("client CPUs: the free ones on a big machine, none for an unpinned server")
    func clientCPUs() throws {
        let topology = try SysfsFixture.twoSocket.topology()
        let compact = try Planner.plan(threads: 4, policy: .compact, topology: topology)
        let client = Planner.clientCPUs(besides: compact, allowed: topology.allowedCPUs)
        #expect(!client.isEmpty && Set(client).isDisjoint(with: compact.processCPUs))
        let none = try Planner.plan(threads: 4, policy: .none, topology: topology)
        #expect(Planner.clientCPUs(besides: none, allowed: topology.allowedCPUs).isEmpty)
    }

    @Test("bad load parameters are bad input (exit 2)")
    func badLoadParameters() throws {
        #expect(throws: LoadGenError.badParameter(name: "connections", value: "many", expected: "an integer from 1 to 4096")) {
            try plan(threads: [1], params: ["connections=many"])
        }
    }

    func unit() throws -> WorkUnit {
        let workload = try WorkloadCatalog.load().workload(named: "http-handling")
        let config = RunConfiguration(
            workload: workload, variant: "thread-pool", params: [:], interpreter: InterpreterChoice(label: "py", path: "/py"),
            threads: 2, placement: PlacementChoice(policy: "cpus:0,1", threadCPUs: [0, 1], clientCPUs: [1]),
            allocator: .system, env: [], seed: 1)
        return WorkUnit(configuration: config, process: 1)
    }

    func drive(responses: [Int], badBody: String? = nil, badStatus: String? = nil) -> ServerDriver.Outcome {
        var outcome = ServerDriver.Outcome()
        outcome.transcript = HarnessTranscript.parse([HarnessProtocolTests.hello, HarnessProtocolTests.bye].joined(separator: "\n")).0
        for (index, count) in responses.enumerated() {
            outcome.transcript.samples.append(HarnessSample(
                index: index, warmup: false, batch: 0, ops: count, wallNanoseconds: 100_000_000, perThreadOps: [count, 0],
                cpuUserSeconds: 0.05, cpuSysSeconds: 0.01, ctxVoluntary: 1, ctxInvoluntary: 0))
            var load = LoadSample()
            load.responses = count
            load.wallSeconds = 0.1
            for value in [100_000, 200_000, 900_000] where count > 0 { _ = load.latency.record(UInt64(value)) }
            load.clientCPUSeconds = 0.05
            if let badStatus, index == 0 {
                load.errors.badStatus = 1
                load.firstWrong = badStatus
            }
            if let badBody, index == 0 {
                load.errors.badBody = 2
                load.firstWrong = load.firstWrong ?? badBody
            }
            outcome.load.append(load)
        }
        return outcome
    }

    @Test("the verdict: the driver's problem, a wrong status or body, a sample without answers; else the batch checks")
    func verdicts() throws {
        let unit = try unit()
        let ok = ProcessResult(ending: .exited(0), protocolOutput: "", stderrTail: "", elapsedSeconds: 1)
        #expect(WorkUnitRunner.judgeServer(unit: unit, result: ok, drive: drive(responses: [10, 12]), timeoutSeconds: 9) == .ok)
        var silent = ServerDriver.Outcome()
        silent.problem = "the server's port (its listening message) did not come within 2 s"
        let killed = ProcessResult(ending: .signaled(9), protocolOutput: "", stderrTail: "starting", elapsedSeconds: 2)
        #expect(WorkUnitRunner.judgeServer(unit: unit, result: killed, drive: silent, timeoutSeconds: 9)
            == .failed("the server's port (its listening message) did not come within 2 s; stderr: starting"))
        let wrong = WorkUnitRunner.judgeServer(unit: unit, result: ok, drive: drive(responses: [10], badBody: "GET /x: body CRC-32 1, expected 2"),
                                            timeoutSeconds: 9)
        #expect(wrong == .failed("2 wrong responses (2 body), first: GET /x: body CRC-32 1, expected 2"))
        // A wrong status is a wrong answer too, and the message says which part differed.
        let both = WorkUnitRunner.judgeServer(unit: unit, result: ok, drive: drive(responses: [10], badBody: "GET /x: body length 9 bytes, expected 8",
                                                                             badStatus: "GET /y: status 500, expected 200"), timeoutSeconds: 9)
        #expect(both == .failed("3 wrong responses (1 status, 2 body), first: GET /y: status 500, expected 200"))
        #expect(WorkUnitRunner.judgeServer(unit: unit, result: ok, drive: drive(responses: [10, 0]), timeoutSeconds: 9)
            == .failed("measured sample 2 got no responses"))
        let timedOut = ProcessResult(ending: .timedOut, protocolOutput: "", stderrTail: "", elapsedSeconds: 9)
        #expect(WorkUnitRunner.judgeServer(unit: unit, result: timedOut, drive: silent, timeoutSeconds: 9).message.contains("killed after 9 s"))
    }

    @Test("rows: requests/s from the client, latency percentiles, errors named, client CPUs and utilisation")
    func rows() throws {
        var drive = drive(responses: [10, 20])
        drive.load[1].errors.reset = 1
        let outcome = ProcessOutcome(unit: try unit(), result: ProcessResult(ending: .exited(0), protocolOutput: "", stderrTail: "",
                                                                             elapsedSeconds: 1),
                                     transcript: drive.transcript, verdict: .ok, load: drive.load)
        let rows = RowMaker(identity: RunIdentity(runID: "r", startedUTC: "t", host: "h", cpuModel: "c", kernel: "k",
                                                  numaNodes: 1, cpusOnline: 2, smt: false, suiteRev: "s")).rows(for: outcome)
        #expect(rows.count == 2)
        #expect(rows.map(\.throughput) == [100, 200])
        #expect(rows.allSatisfy { $0.clientCPUs == "1" && abs(($0.clientCPUUtil ?? 0) - 0.5) < 1e-9 })
        // HdrHistogram keeps 3 significant digits.
        #expect(abs((rows[0].latencyP50us ?? 0) - 200) < 1 && abs((rows[0].latencyP999us ?? 0) - 900) < 1)
        #expect(rows[1].errors == 1 && rows[1].message == "errors: 1 reset")
        let read = try ResultReader(text: ResultWriter.encode([ResultRow.columns] + rows.map(\.fields)))
        #expect(read.rows == rows)
    }

    @Test("a results file written before the client columns still reads")
    func olderFile() throws {
        let old = ResultRow.columns.filter { !ResultRow.laterColumns.contains($0) }
        var row = ResultRow()
        row.workload = "log-processing"
        let line = ResultWriter.encode([Array(row.fields.prefix(old.count))])
        let read = try ResultReader(text: old.joined(separator: ",") + "\n" + line)
        #expect(read.rows == [row])
    }

    @Test("the server summary: medians per configuration, a warning when the client was saturated")
    func summary() {
        var rows = Setup.gil.with { $0.workload = "http-handling"; $0.variant = "thread-pool" }.rows(throughput: [900, 1000, 1100])
        for i in rows.indices {
            rows[i].clientCPUs = "1"
            rows[i].clientCPUUtil = 0.95
            rows[i].latencyP50us = 100
            rows[i].latencyP99us = 400
            rows[i].latencyP999us = 900
        }
        let batch = Setup.gil.rows(throughput: [5, 6, 7])
        let summary = ServerSummary(rows: rows + batch)
        #expect(summary.lines.count == 1)
        #expect(summary.lines[0].throughput == 1000 && summary.lines[0].p99 == 400)
        #expect(summary.saturated.count == 1)
        #expect(summary.text().contains("warning: the load generator was saturated (95% of its CPU)"))
        #expect(ServerSummary(rows: batch).isEmpty)
    }
}
