import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabInterpreters
import FTLabRunner

/// What the quick suite and "left out" mean on the built-in corpus, with no script found: no
/// machine, no interpreter needed.
@Suite("Quick suite and missing scripts")
struct QuickSuiteTests {
    /// The built-in corpus with no CPython tool script anywhere (an empty cache and docs folder,
    /// and the scripts' variables pointing nowhere).
    static func catalogWithoutScripts() throws -> WorkloadCatalog {
        let empty = TestPaths.scratch("noscripts")
        let environment = ["FTLAB_CACHE": empty, "FTLAB_FTSCALINGBENCH": "\(empty)/none.py", "FTLAB_LOCKBENCH": "\(empty)/none.py"]
        let locator = ToolScriptLocator(environment: environment, cache: CacheDirectory(root: empty), systemDocs: empty)
        return try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads, locator: locator)
    }

    @Test("a workload whose script is missing is left out of a run with no selector: none of its variants is selected")
    func missingScriptLeftOut() throws {
        let catalog = try Self.catalogWithoutScripts()
        let unavailable = catalog.workloads.filter { $0.unavailable != nil }.map(\.name)
        #expect(Set(unavailable) == ["ftscalingbench", "lockbench"], "\(unavailable)")
        let everything = try catalog.select([])
        #expect(!everything.contains { unavailable.contains($0.workload.name) }, "lockbench lists its variants, yet none runs")
        // Named explicitly, it is refused (exit 2) with the command that fetches the script.
        let error = #expect(throws: WorkloadError.self) { try catalog.select(["lockbench"]) }
        #expect(error?.description.contains("`ftlab lab examples`") == true, "\(String(describing: error))")
        #expect(error?.exitCode == 2)
    }

    @Test("--quick with no selector keeps each workload's quick_variants and says what it left")
    func quickVariants() throws {
        let catalog = try Self.catalogWithoutScripts()
        let topology = try SysfsFixture.thisMachine.topology()
        var request = RunRequest()
        request.interpreters = [InterpreterChoice(label: "gil", path: "/gil", build: .gil)]
        request.threads = [1]
        request.quickSuite = true
        let plan = try RunPlan.make(request, catalog: catalog, topology: topology)
        let http = Set(plan.configurations.filter { $0.workload.name == "http-handling" }.map(\.variant))
        #expect(http == ["thread-pool", "asyncio", "asyncio-per-thread", "waitress"])
        #expect(plan.skipped.contains { $0.hasPrefix("http-handling: the quick suite runs 4 of its 9 variants") }, "\(plan.skipped)")
        // Workloads without quick_variants run whole; naming one runs all of its variants.
        #expect(Set(plan.configurations.filter { $0.workload.name == "log-processing" }.map(\.variant)) == ["partitioned", "shared-lock", "pipeline"])
        request.selectors = ["http-handling"]
        let named = try RunPlan.make(request, catalog: catalog, topology: topology)
        #expect(Set(named.configurations.map(\.variant)).count == 9)
    }
}
