import Testing
@testable import FTLabCore
@testable import FTLabHarness
@testable import FTLabInterpreters
@testable import FTLabRunner

@Suite("Harness protocol")
struct HarnessProtocolTests {
    static let hello = #"{"type":"hello","protocol":1,"pid":7,"implementation":"cpython","python_version":"3.13.5","build":"freethreaded","gil_enabled":false,"executable":"/x/python3.13t","workload":"w","variant":"v","threads":2,"unit":"lines","params":{"lines":"10"},"mapped_libraries":["/lib/libc.so.6"],"pythonmalloc":"","ld_preload":""}"#
    static let sample = #"{"type":"sample","index":0,"warmup":false,"batch":10,"ops":20,"wall_ns":1000,"per_thread_ops":[10,10],"cpu_user_s":0.1,"cpu_sys_s":0.0,"ctx_voluntary":1,"ctx_involuntary":0}"#
    static let bye = #"{"type":"bye","verified":true,"checksum":"ab","expected":"ab","message":"","max_rss_kib":100,"thread_cpus":[[0],[1]],"thread_allowed":[[0],[1]],"allocator_stats":{}}"#

    @Test("a complete conversation parses in order")
    func complete() {
        let (t, error) = HarnessTranscript.parse([Self.hello, Self.sample, Self.sample, Self.bye].joined(separator: "\n") + "\n")
        #expect(error == nil)
        #expect(t.hello?.gilEnabled == false)
        #expect(t.hello?.build == "freethreaded")
        #expect(t.samples.count == 2)
        #expect(t.bye?.threadCPUs == [[0], [1]])
    }

    @Test("malformed lines are errors that quote the line", arguments: [
        "not json at all",
        #"{"type":"sample"}"#,
        #"{"type":"gossip","x":1}"#,
        #"{"type":"hello","protocol":"one"}"#,
        "[1,2,3]",
    ])
    func malformed(line: String) {
        let (_, error) = HarnessTranscript.parse(Self.hello + "\n" + line + "\n")
        #expect(error != nil)
        #expect(error?.description.contains(line) == true)
    }

    @Test("messages out of order are errors")
    func outOfOrder() {
        #expect(HarnessTranscript.parse(Self.sample).1 != nil)
        #expect(HarnessTranscript.parse([Self.hello, Self.hello].joined(separator: "\n")).1 != nil)
        #expect(HarnessTranscript.parse([Self.hello, Self.bye, Self.sample].joined(separator: "\n")).1 != nil)
    }

    @Test("samples read before a protocol error are kept")
    func keepsSamples() {
        let (t, error) = HarnessTranscript.parse([Self.hello, Self.sample, "garbage"].joined(separator: "\n"))
        #expect(error != nil)
        #expect(t.samples.count == 1)
    }

    @Test("a failed verification, a crash and a stray CPU are judged failed")
    func verdicts() {
        let manifest = try! WorkloadManifest.parse("""
            name = "w"
            description = "d"
            question = "q"
            unit = "lines"
            [[variants]]
            name = "v"
            question = "q"
            """, path: "m")
        var placement = PlacementChoice(policy: "cpus:0,1", threadCPUs: [0, 1])
        let config = RunConfiguration(
            workload: Workload(directory: "/w", manifest: manifest), variant: "v", params: [:],
            interpreter: InterpreterChoice(label: "py", path: "/py"), threads: 2, placement: placement,
            allocator: .system, env: [], seed: 1)
        let unit = WorkUnit(configuration: config, process: 1)
        let ok = ProcessResult(ending: .exited(0), protocolOutput: "", stderrTail: "", elapsedSeconds: 1)
        let good = HarnessTranscript.parse([Self.hello, Self.sample, Self.bye].joined(separator: "\n")).0
        #expect(WorkUnitRunner.judge(unit: unit, result: ok, transcript: good, protocolError: nil, timeoutSeconds: 5) == .ok)

        let badBye = Self.bye.replacingOccurrences(of: #""verified":true,"checksum":"ab""#, with: #""verified":false,"checksum":"cd""#)
        let wrong = HarnessTranscript.parse([Self.hello, Self.sample, badBye].joined(separator: "\n")).0
        let verdict = WorkUnitRunner.judge(unit: unit, result: ok, transcript: wrong, protocolError: nil, timeoutSeconds: 5)
        #expect(verdict.message.contains("verification failed"))

        let crash = ProcessResult(ending: .signaled(11), protocolOutput: "", stderrTail: "Segmentation fault", elapsedSeconds: 1)
        let crashed = WorkUnitRunner.judge(unit: unit, result: crash, transcript: HarnessTranscript(), protocolError: nil, timeoutSeconds: 5)
        #expect(crashed == .failed("killed by signal 11; stderr: Segmentation fault"))

        placement.threadCPUs = [1, 0]
        var swapped = unit
        swapped.configuration.placement = placement
        let stray = WorkUnitRunner.judge(unit: swapped, result: ok, transcript: good, protocolError: nil, timeoutSeconds: 5)
        #expect(stray.message.contains("thread 0 ran on CPU 0 but was planned on CPU 1"))
    }
}
