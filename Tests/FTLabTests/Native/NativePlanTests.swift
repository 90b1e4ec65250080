import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabInterpreters
import FTLabNative
@testable import FTLabRunner

/// How `ftlab run` plans and starts native-swift configurations.
@Suite("native-swift in the run plan")
struct NativePlanTests {
    let catalog: WorkloadCatalog
    let topology: Topology
    let python = InterpreterChoice(label: "py", path: "/usr/bin/python3", build: .gil)

    init() throws {
        catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads)
        topology = try SysfsFixture.thisMachine.topology()
    }

    func request(_ selectors: [String], interpreters: [InterpreterChoice], allocators: [Allocator] = [.system]) -> RunRequest {
        var request = RunRequest()
        request.selectors = selectors
        request.interpreters = interpreters
        request.allocators = allocators
        return request
    }

    @Test("--python native-swift resolves to ftlab itself, without probing")
    func resolves() async throws {
        let chosen = try await InterpreterChoice.resolve(["native-swift", "native-swift"])
        #expect(chosen == [.nativeSwift])
        #expect(chosen[0].build == .native && chosen[0].label == "native-swift")
    }

    @Test("only implemented variants run natively; the rest are skipped with a warning")
    func skipsUnimplemented() throws {
        let plan = try RunPlan.make(request(["log-processing", "buffered-copy/independent"], interpreters: [python, .nativeSwift]),
                                    catalog: catalog, topology: topology)
        let native = plan.configurations.filter { $0.interpreter.build == .native }.map { "\($0.workload.name)/\($0.variant)" }
        #expect(native == ["log-processing/partitioned", "buffered-copy/independent"])
        #expect(plan.configurations.count(where: { $0.interpreter == python }) == 4)
        #expect(plan.warnings.contains { $0.contains("no implementation of log-processing/shared-lock") && $0.hasSuffix("skipped") })
        #expect(plan.warnings.contains { $0.contains("no implementation of log-processing/pipeline") })
    }

    @Test("a native run with nothing it can run is refused, saying why (exit 2)")
    func nothingToRun() throws {
        #expect(throws: NativeError.self) {
            try RunPlan.make(request(["log-processing/pipeline"], interpreters: [.nativeSwift]), catalog: catalog, topology: topology)
        }
        let jemalloc = Allocator(name: "jemalloc", path: "/usr/lib/libjemalloc.so.2", version: "5")
        do {
            _ = try RunPlan.make(request(["log-processing/partitioned"], interpreters: [.nativeSwift], allocators: [jemalloc]),
                                 catalog: catalog, topology: topology)
            Issue.record("a native run on jemalloc was planned")
        } catch let error as NativeError {
            #expect(error.exitCode == 2)
            #expect(error.description.contains("only with the system allocator"))
        }
    }

    @Test("a native unit starts `ftlab _native` with run.py's arguments")
    func command() throws {
        let workload = try catalog.workload(named: "buffered-copy")
        let configuration = RunConfiguration(
            workload: workload, variant: "independent", params: ["file_size": "64K"], interpreter: .nativeSwift, threads: 2,
            placement: PlacementChoice(policy: "cpus:0,1", threadCPUs: [0, 1]), allocator: .system, env: [], seed: 9)
        let runner = WorkUnitRunner(harnessScript: "/w/_harness/run.py", launcher: "/bin/ftlab", repetition: .quick,
                                 timeoutSeconds: 10, logDirectory: "/tmp")
        let (executable, arguments) = runner.command(for: WorkUnit(configuration: configuration, process: 1))
        #expect(executable == InterpreterChoice.nativeSwift.path)
        #expect(arguments.first == "_native")
        #expect(!arguments.contains("-X") && !arguments.contains("/w/_harness/run.py"))
        for expected in [["--threads", "2"], ["--cpus", "0,1"], ["--seed", "9"]] {
            #expect(arguments.contains(expected[0]) && arguments[arguments.firstIndex(of: expected[0])! + 1] == expected[1])
        }
        // Names, paths and params travel as one `--option=VALUE` word: none can be read as an option.
        for expected in ["--workload-dir=\(workload.directory)", "--variant=independent", "--param=file_size=64K"] {
            #expect(arguments.contains(expected), "arguments: \(arguments)")
        }
    }
}
