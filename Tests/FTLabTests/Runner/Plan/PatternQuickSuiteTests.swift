import Testing
@testable import FTLabRunner
@testable import FTLabHarness

/// The quick suite's share of the pattern workloads: one variant each (`quick_variants`), so
/// they add 4 variants x 2 builds x 2 thread counts to `make quick`, not 18.
@Suite("pattern workloads in the quick suite")
struct PatternQuickSuiteTests {
    @Test("the quick suite runs one variant of each pattern workload; naming one runs all")
    func quickShare() throws {
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads)
        let names: Set<String> = ["thread-state", "stdio", "handoff", "shared-state"]
        let selection = try catalog.select(Array(names))
        #expect(selection.count == 2 + 3 + 6 + 5)
        let (kept, notes) = RunPlan.quickSubset(selection)
        #expect(Set(kept.map { "\($0.workload.name)/\($0.variant)" })
            == ["thread-state/contextvar", "stdio/print", "handoff/queue", "shared-state/lru-cache"])
        #expect(notes.count == 4)
    }
}
