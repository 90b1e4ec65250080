import Foundation
import Testing
@testable import FTLabRunner
import FTLabHarness
import FTLabInterpreters

/// ftlab validates a workload's manifest once and hands it to run.py in FTLAB_MANIFEST_JSON;
/// started by hand, run.py reads workload.toml with tomllib instead.
@Suite("Manifest handed to the harness")
struct HarnessManifestTests {
    static let tiny = TestPaths.fixtures + "/workloads/tiny"
    static let key = WorkloadManifest.harnessEnvironmentKey

    static func configuration(_ workload: Workload) -> RunConfiguration {
        RunConfiguration(workload: workload, variant: "sum", params: [:],
                         interpreter: InterpreterChoice(label: "py", path: "/py"), threads: 1,
                         placement: PlacementChoice(policy: "none", threadCPUs: []), allocator: .system, env: [], seed: 1)
    }

    /// run.py on `directory` with a fixed batch; the manifest JSON in the environment when given.
    static func harness(_ directory: String, _ extra: [String], manifest: String? = nil) throws -> (status: Int32, transcript: HarnessTranscript, stderr: String) {
        let arguments = ["-X", "faulthandler", TestPaths.builtinWorkloads + "/_harness/run.py", "--workload-dir", directory,
                         "--samples", "1", "--warmups", "0", "--batch", "1"] + extra
        let run = try runProgram(try TestPaths.labPython(.gil), arguments, environment: manifest.map { [key: $0] })
        return (run.status, HarnessTranscript.parse(run.stdout).0, run.stderr)
    }

    @Test("the runner's environment carries the manifest as JSON that decodes to the same manifest, with only the process's variant")
    func environment() throws {
        let workload = try Workload.load(directory: Self.tiny)
        let runner = WorkUnitRunner(harnessScript: "/w/_harness/run.py", launcher: "/bin/ftlab", repetition: .quick,
                                 timeoutSeconds: 5, logDirectory: "/tmp")
        let configuration = Self.configuration(workload)
        let json = try #require(runner.environment(for: configuration)[Self.key] ?? nil)
        #expect(!json.contains("\n") && json.contains(#""kind":"batch""#) && !json.contains("max_threads"))
        var expected = workload.manifest
        expected.variants = expected.variants.filter { $0.name == configuration.variant }
        #expect(expected.variants.count == 1 && workload.manifest.variants.count > 1)
        #expect(try JSONDecoder().decode(WorkloadManifest.self, from: Data(json.utf8)) == expected)

        var limited = workload.manifest
        limited.variants[0].maxThreads = 3
        #expect(limited.harnessJSON.contains(#"{"max_threads":3,"name":"sum","question":"Summing in each thread."}"#))
    }

    @Test("run.py takes the manifest from the environment, not from workload.toml")
    func fromEnvironment() throws {
        let folder = TestPaths.scratch()
        try FileManager.default.copyItem(atPath: Self.tiny + "/workload.py", toPath: folder + "/workload.py")
        try "this is [not a manifest".write(toFile: folder + "/workload.toml", atomically: true, encoding: .utf8)
        var manifest = try Workload.load(directory: Self.tiny).manifest
        manifest.variants[0].maxThreads = 1
        let json = manifest.harnessJSON

        let run = try Self.harness(folder, ["--variant", "sum", "--threads", "1", "--param", "n=7"], manifest: json)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.transcript.hello?.workload == "tiny" && run.transcript.hello?.unit == "ops")
        #expect(run.transcript.hello?.params == ["n": "7"])
        #expect(run.transcript.bye?.verified == true)

        // run.py's own messages for bad variants, params and threads, from the JSON's contents.
        for (extra, message) in [
            (["--variant", "nope", "--threads", "1"], "UsageError: unknown variant 'nope' for tiny; variants: sum, other"),
            (["--variant", "sum", "--threads", "1", "--param", "x=1"], "UsageError: unknown param 'x' for tiny; params: n"),
            (["--variant", "sum", "--threads", "2"], "UsageError: tiny/sum runs at most 1 thread (max_threads), not 2"),
        ] {
            let refused = try Self.harness(folder, extra, manifest: json)
            #expect(refused.status == 2)
            #expect(refused.transcript.failure?.message == message)
        }
    }

    @Test("started by hand, run.py reads workload.toml (tomllib) to the same hello")
    func byHand() throws {
        let arguments = ["--variant", "other", "--threads", "1"]
        let byHand = try Self.harness(Self.tiny, arguments)
        let handed = try Self.harness(Self.tiny, arguments, manifest: try Workload.load(directory: Self.tiny).manifest.harnessJSON)
        #expect(byHand.status == 0 && handed.status == 0, "\(byHand.stderr)\(handed.stderr)")
        let (a, b) = (try #require(byHand.transcript.hello), try #require(handed.transcript.hello))
        #expect(a.workload == b.workload && a.unit == b.unit && a.params == b.params && a.variant == b.variant)

        let folder = TestPaths.scratch()
        try FileManager.default.copyItem(atPath: Self.tiny + "/workload.py", toPath: folder + "/workload.py")
        let missing = try Self.harness(folder, arguments)
        #expect(missing.status == 2)
        #expect(missing.transcript.failure?.message == "UsageError: --workload-dir '\(folder)' has no workload.toml")
    }
}
