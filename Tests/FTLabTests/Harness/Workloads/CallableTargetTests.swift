import Foundation
import Testing
@testable import FTLabRunner
@testable import FTLabHarness
@testable import FTLabInterpreters

/// `--callable MODULE:FUNCTION` without processes: the target's shape, its params, the workload
/// made from the `_callable` template, and what goes with it.
@Suite("Callable targets")
struct CallableTargetTests {
    @Test("MODULE:FUNCTION with dotted names; the selector, the params and the rows' names come from it")
    func spec() throws {
        let plain = try CallableTarget(spec: "statistics:fmean")
        #expect(plain.module == "statistics" && plain.function == "fmean" && plain.selector == "statistics/fmean")
        #expect(plain.params == ["callable=statistics:fmean"] && plain.resultCheck && plain.directory == nil)
        let dotted = try CallableTarget(spec: "mypkg.work:Parser.run", resultCheck: false)
        #expect(dotted.module == "mypkg.work" && dotted.function == "Parser.run")
        #expect(dotted.params == ["callable=mypkg.work:Parser.run", "result_check=off"])
        for bad in ["statistics", "statistics:", ":fmean", "a:b:c", "1mod:f", "mod:f()", "mod:f-g", "mod..x:f", "my mod:f"] {
            #expect(throws: CallableError.badSpec(bad), "\(bad)") { try CallableTarget(spec: bad) }
        }
        #expect(CallableError.badSpec("x").exitCode == 2)
    }

    @Test("--callable-dir is taken absolute and must be a folder; requirements are checked and read")
    func folderAndRequirements() throws {
        let dir = TestPaths.scratch()
        let target = try CallableTarget(spec: "work:run", directory: dir + "/./", requirement: ["orjson>=3"])
        #expect(target.directory == URL(fileURLWithPath: dir).standardizedFileURL.path)
        #expect(target.params == ["callable=work:run", "callable_dir=\(target.directory!)"])
        #expect(throws: CallableError.notAFolder(dir + "/nope")) { try CallableTarget(spec: "work:run", directory: dir + "/nope") }
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        #expect(throws: CallableError.notAFolder(dir + "/file")) { try CallableTarget(spec: "work:run", directory: dir + "/file") }
        #expect(throws: CallableError.badRequirement(option: "--requirement", value: "-e .", reason: Requirements.problem("-e .")!)) {
            try CallableTarget(spec: "work:run", requirement: ["-e ."])
        }
        try "six==1.17.0\norjson>=3\n".write(toFile: dir + "/reqs.txt", atomically: true, encoding: .utf8)
        let both = try CallableTarget(spec: "work:run", requirement: ["orjson>=3"], requirementsSource: dir + "/reqs.txt")
        #expect(both.requirements == ["orjson>=3", "six==1.17.0"])
        #expect(throws: CallableError.badRequirement(option: "--requirements", value: dir + "/none.txt", reason: "no such file or folder")) {
            try CallableTarget(spec: "work:run", requirementsSource: dir + "/none.txt")
        }
    }

    @Test("the workload: named after the module, one variant named after the function, the template's params, its requirements")
    func workload() throws {
        var catalog = try WorkloadCatalog.load()
        #expect(!catalog.workloads.contains { $0.name == "callable" }, "the template stays out of `ftlab list`")
        let target = try CallableTarget(spec: "sysconfig:get_paths", requirement: ["six"])
        try catalog.add(target)
        let workload = try catalog.workload(named: "sysconfig")
        #expect(workload.manifest.variants.map(\.name) == ["get_paths"])
        #expect(workload.manifest.unit == "calls" && workload.manifest.kind == .batch)
        #expect(workload.manifest.params.map(\.name) == ["callable", "callable_dir", "result_check"])
        #expect(workload.manifest.requirements(for: "get_paths") == ["six"])
        #expect((workload.directory as NSString).lastPathComponent == CallableTarget.templateFolder)
        #expect(workload.manifest.harnessJSON(variant: "get_paths").contains(#""name":"sysconfig""#))
        // The plan gives every configuration the target in its params, so the rows name it.
        var request = RunRequest()
        request.selectors = [target.selector]
        request.interpreters = [InterpreterChoice(label: "py", path: "/py")]
        request.placements = ["none"]
        request.params = target.params
        let plan = try RunPlan.make(request, catalog: catalog, topology: try SysfsFixture.thisMachine.topology())
        #expect(plan.configurations.map(\.paramsText) == ["callable=sysconfig:get_paths;result_check=on"])
        #expect(plan.configurations.first?.requirements == ["six"])
        // A module named like a workload of the catalog would make rows that read as that workload's.
        #expect(throws: CallableError.self) { try catalog.add(try CallableTarget(spec: "stdio:run")) }
        #expect(throws: CallableError.self) { try catalog.add(target) }
    }
}
