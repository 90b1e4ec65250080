import Testing
@testable import FTLabRunner
import FTLabHarness
import FTLabInterpreters

/// What `ftlab run` measures when told nothing: the full suite's matrix.
@Suite struct FullSuiteDefaultsTests {
    static let jemalloc = Allocator(name: "jemalloc", path: "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", version: "5.3.0-1")

    @Test func fullSuiteComparesSystemWithJemalloc() async {
        let found = await RunRequest.defaultAllocators(fullSuite: true) { name throws(AllocatorError) in
            #expect(name == "jemalloc")
            return Self.jemalloc
        }
        #expect(found.allocators.map(\.name) == ["system", "jemalloc"] && found.warnings.isEmpty)
        let named = await RunRequest.defaultAllocators(fullSuite: false) { _ throws(AllocatorError) in Self.jemalloc }
        #expect(named.allocators.map(\.name) == ["system"] && named.warnings.isEmpty)
    }

    @Test func missingJemallocNarrowsTheFullSuiteWithAWarning() async {
        let missing = await RunRequest.defaultAllocators(fullSuite: true) { name throws(AllocatorError) in
            throw .notInstalled(name, looked: ["libjemalloc.so.2"], debianPackage: "libjemalloc2", installed: [])
        }
        #expect(missing.allocators.map(\.name) == ["system"])
        #expect(missing.warnings.count == 1 && missing.warnings[0].contains("libjemalloc2"))
    }

    @Test func fullSuiteMatrixOnTwoCPUs() throws {
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads")
        var request = RunRequest()
        request.interpreters = [InterpreterChoice(label: "gil", path: "/gil", build: .gil),
                                InterpreterChoice(label: "ft", path: "/ft", build: .freethreaded)]
        request.threads = defaultThreadCounts(cpus: 2)
        request.allocators = [.system, Self.jemalloc]
        let plan = try RunPlan.make(request, catalog: catalog, topology: try SysfsFixture.thisMachine.topology())
        // 2 variants x 3 thread counts (1, 2 and the oversubscribed 3) x 2 builds x 2 allocators.
        #expect(plan.configurations.count == 2 * 3 * 2 * 2)
        #expect(Set(plan.configurations.map(\.threads)) == [1, 2, 3])
        #expect(Set(plan.configurations.map(\.placement.policy)) == ["compact"])
        let scopes = Set(plan.configurations.filter { $0.allocator.name == "jemalloc" }.map { "\($0.interpreter.label):\($0.allocator.scope)" })
        #expect(scopes == ["gil:all", "ft:raw"])
    }

    @Test func abEnvRunsEveryConfigurationTwiceSideBySide() throws {
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads")
        var request = RunRequest()
        request.selectors = ["tiny/sum"]
        request.interpreters = [InterpreterChoice(label: "gil", path: "/gil", build: .gil)]
        request.threads = [1, 2]
        request.env = [EnvSetting(key: "PYTHONHASHSEED", value: "0"), EnvSetting(key: "PYTHONMALLOC", value: "pymalloc")]
        request.abEnv = [EnvSetting(key: "PYTHONMALLOC", value: "malloc_debug")]
        let plan = try RunPlan.make(request, catalog: catalog, topology: try SysfsFixture.thisMachine.topology())
        #expect(plan.configurations.map(\.envText) == [
            "PYTHONHASHSEED=0;PYTHONMALLOC=pymalloc", "PYTHONHASHSEED=0;PYTHONMALLOC=malloc_debug",
            "PYTHONHASHSEED=0;PYTHONMALLOC=pymalloc", "PYTHONHASHSEED=0;PYTHONMALLOC=malloc_debug"])
        #expect(plan.configurations.map(\.threads) == [1, 1, 2, 2])
        request.abEnv = []
        #expect(try RunPlan.make(request, catalog: catalog, topology: try SysfsFixture.thisMachine.topology())
            .configurations.count == 2)
    }
}
