import Foundation
import Testing
import FTLabCore
@testable import FTLabHarness
@testable import FTLabInterpreters
@testable import FTLabRunner
import FTLabAnalysis

@Suite("Workload requirements, venv identity and the GIL-came-back warning")
struct PackageTests {
    static let manifest = """
        name = "app"
        description = "d"
        question = "q"
        unit = "requests"
        requirements = ["flask>=3", "markupsafe"]

        [[variants]]
        name = "plain"
        question = "q"

        [[variants]]
        name = "waitress"
        question = "q"
        requirements = ["waitress", "flask>=3"]
        """

    @Test("requirements: the workload's, then the variant's own, duplicates dropped")
    func variantRequirements() throws {
        let m = try WorkloadManifest.parse(Self.manifest, path: "workload.toml")
        #expect(m.requirements(for: "plain") == ["flask>=3", "markupsafe"])
        #expect(m.requirements(for: "waitress") == ["flask>=3", "markupsafe", "waitress"])
    }

    @Test("a pip option or an empty string is a bad manifest naming the value")
    func badRequirement() {
        let text = Self.manifest.replacingOccurrences(of: "\"markupsafe\"", with: "\"--index-url=http://x\"")
        #expect(throws: WorkloadError.self) { try WorkloadManifest.parse(text, path: "w.toml") }
        #expect(Requirements.problem("--index-url=http://x")?.contains("pip option") == true)
        #expect(Requirements.problem("  ")?.contains("empty") == true)
        #expect(Requirements.problem("flask[async]>=3; python_version >= \"3.13\"") == nil)
    }

    @Test("a requirements file: comments and blank lines skipped, a bad line named with its number")
    func requirementsFile() throws {
        #expect(try Requirements.parseFile("# c\nflask==3.1.3  # pinned\n\ncrcmod==1.7\n", path: "r.txt") == ["flask==3.1.3", "crcmod==1.7"])
        #expect(throws: WorkloadError.badManifest(path: "r.txt:2", reason: Requirements.problem("-e .")!)) {
            try Requirements.parseFile("flask\n-e .\n", path: "r.txt")
        }
    }

    @Test("requirements = \"FILE\" is read from beside workload.toml")
    func requirementsFromFile() throws {
        let dir = TestPaths.scratch()
        try Self.manifest.replacingOccurrences(of: "[\"flask>=3\", \"markupsafe\"]", with: "\"reqs.txt\"")
            .write(toFile: dir + "/workload.toml", atomically: true, encoding: .utf8)
        try "".write(toFile: dir + "/workload.py", atomically: true, encoding: .utf8)
        try "crcmod==1.7\n".write(toFile: dir + "/reqs.txt", atomically: true, encoding: .utf8)
        #expect(try Workload.load(directory: dir).manifest.requirements(for: "plain") == ["crcmod==1.7"])
        try FileManager.default.removeItem(atPath: dir + "/reqs.txt")
        #expect(throws: WorkloadError.self) { try Workload.load(directory: dir) }
    }

    @Test("a requirements parameter: a file, a folder's requirements.txt, else its pyproject's dependencies; anything else names the parameter")
    func requirementsParameter() throws {
        let dir = TestPaths.scratch()
        try "httpbin\nflask>=3  # the app's\n".write(toFile: dir + "/app-reqs.txt", atomically: true, encoding: .utf8)
        #expect(try Requirements.fromParameter("app_requirements", value: dir + "/app-reqs.txt") == ["httpbin", "flask>=3"])
        #expect(try Requirements.fromParameter("app_requirements", value: "").isEmpty)
        let project = dir + "/project"
        try FileManager.default.createDirectory(atPath: project, withIntermediateDirectories: true)
        try """
            [project]
            name = "myapp"
            dependencies = ["flask>=3.1", "orjson"]
            """.write(toFile: project + "/pyproject.toml", atomically: true, encoding: .utf8)
        #expect(try Requirements.fromParameter("app_requirements", value: project) == ["flask>=3.1", "orjson"])
        try "waitress\n".write(toFile: project + "/requirements.txt", atomically: true, encoding: .utf8)
        #expect(try Requirements.fromParameter("app_requirements", value: project) == ["waitress"], "requirements.txt comes first")
        let cases: [(String, String)] = [
            (dir + "/missing.txt", "no such file or folder"),
            (dir, "neither requirements.txt nor pyproject.toml"),
        ]
        try "flask\n-e .\n".write(toFile: dir + "/bad.txt", atomically: true, encoding: .utf8)
        let empty = dir + "/empty-project"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try "[project]\nname = \"x\"\n".write(toFile: empty + "/pyproject.toml", atomically: true, encoding: .utf8)
        for (value, reason) in cases + [(dir + "/bad.txt", "bad.txt:2: requirement \"-e .\" is a pip option"),
                                        (empty, "has no [project] dependencies")] {
            do {
                _ = try Requirements.fromParameter("app_requirements", value: value)
                Issue.record("\(value) was read")
            } catch {
                #expect(error.exitCode == 2)
                #expect(error.description.hasPrefix("bad --param app_requirements=\(value): ") && error.description.contains(reason),
                        "\(error.description)")
            }
        }
    }

    @Test("a parameter of kind requirements joins its value's requirements to the configuration's; an unknown kind is a bad manifest")
    func requirementsParameterInThePlan() throws {
        let dir = TestPaths.scratch()
        try "httpbin\n".write(toFile: dir + "/reqs.txt", atomically: true, encoding: .utf8)
        var request = RunRequest()
        request.selectors = ["http-handling/waitress"]
        request.interpreters = [InterpreterChoice(label: "py", path: "/py")]
        request.placements = ["none"]
        request.params = ["app_requirements=\(dir)/reqs.txt"]
        let catalog = try WorkloadCatalog.load()
        let plan = try RunPlan.make(request, catalog: catalog, topology: try SysfsFixture.thisMachine.topology())
        let waitress = try #require(plan.configurations.first { $0.variant == "waitress" })
        #expect(waitress.requirements.first { $0.hasPrefix("waitress") } != nil && waitress.requirements.last == "httpbin")
        #expect(waitress.paramsText.contains("app_requirements=\(dir)/reqs.txt"), "the row names the file")
        request.params = ["app_requirements=\(dir)/nope.txt"]
        #expect(throws: WorkloadError.badRequirementsParameter(parameter: "app_requirements", value: "\(dir)/nope.txt",
                                                               reason: "no such file or folder")) {
            try RunPlan.make(request, catalog: catalog, topology: try SysfsFixture.thisMachine.topology())
        }
        let manifest = Self.manifest + "\n[[params]]\nname = \"deps\"\ndefault = \"\"\ndescription = \"d\"\nkind = \"packages\"\n"
        #expect(throws: WorkloadError.self) { try WorkloadManifest.parse(manifest, path: "w.toml") }
        let good = manifest.replacingOccurrences(of: "kind = \"packages\"", with: "kind = \"requirements\"")
        #expect(try WorkloadManifest.parse(good, path: "w.toml").params.first?.kind == "requirements")
    }

    @Test("a failed install names the package pip failed on and its reason, not only the requirements asked for")
    func failedPackageNamed() throws {
        let log = """
            Processing /x/gil-only
              Getting requirements to build wheel: finished with status 'error'
              error: subprocess-exited-with-error

              × Getting requirements to build wheel did not run successfully.
              │ exit code: 1
              ╰─> [3 lines of output]
                  Traceback (most recent call last):
                  RuntimeError: CFFI does not support the free-threaded build of CPython 3.13.

                  [end of output]

              note: This error originates from a subprocess, and is likely not a problem with pip.
            ERROR: Failed to build 'cffi' when getting requirements to build wheel
            """
        let path = TestPaths.scratch() + "/install.log"
        try log.write(toFile: path, atomically: true, encoding: .utf8)
        let error = PackageError.installFailed(interpreter: "cpython-3.13.5t", requirements: ["flask", "httpbin"], tail: "...", log: path)
        #expect(error.description.hasPrefix("cpython-3.13.5t: pip could not install cffi: RuntimeError: CFFI does not support the "
                                            + "free-threaded build of CPython 3.13. (needed by flask httpbin); pip's last lines: "),
                "\(error.description)")
        // pip 25.1 (3.13.5's) names no package, and nests cffi's failure inside brotlicffi's
        // (httpbin's dependency): the innermost step that failed, and its own last line.
        let nested = PackageError.installFailed(interpreter: "cpython-3.13.5t", requirements: ["httpbin"], tail: "...",
                                                log: TestPaths.fixtures + "/pip/httpbin-3.13t-pip25.1.log")
        #expect(nested.description.hasPrefix("cpython-3.13.5t: pip could not install cffi>=1.17.0: RuntimeError: CFFI does not "
                                             + "support the free-threaded build of CPython 3.13. Upgrade to free-threaded 3.14 or newer "
                                             + "to use CFFI with the free-threaded build. (needed by httpbin); "), "\(nested.description)")
        let older = "ERROR: Failed to build installable wheels for some pyproject.toml based projects (crcmod)\n"
        #expect(PipLog.failedPackage(older) == "crcmod" && PipLog.buildOutputEnd(older) == nil)
        #expect(PipLog.failedPackage("ERROR: No matching distribution found for ftlab-no-such-project==1.0\n") == "ftlab-no-such-project==1.0")
        let unnamed = PackageError.installFailed(interpreter: "py", requirements: ["a", "b"], tail: "killed", log: path + ".none")
        #expect(unnamed.description.hasPrefix("py: pip could not install a b; pip's last lines: killed"))
    }

    @Test("the venv identity ignores spelling and order; the freeze identity is 12 hex digits")
    func identities() {
        #expect(Requirements.normalized(["b", "a >= 1", "b"]) == Requirements.normalized(["a>=1", "b"]))
        let id = PackageSet.identity(of: ["Flask==3.1.3", "waitress==3.0.2"])
        #expect(id.count == 12 && id.allSatisfy(\.isHexDigit))
        #expect(id != PackageSet.identity(of: ["Flask==3.1.3", "waitress==3.0.1"]))
    }

    @Test("the GIL-came-back warning: free-threaded rows with the GIL on, naming the module and PYTHON_GIL=0")
    func gilReturn() throws {
        var row = ResultRow()
        row.workload = "w"; row.variant = "v"; row.interpreter = "cpython-3.13.5t"; row.build = "freethreaded"
        row.gilEnabled = true; row.packages = "0123456789ab"
        row.message = ResultRow.gilReenabledPrefix + "crcmod._crcfunext"
        let warning = try #require(GILReturn(rows: [row]))
        let text = warning.lines.joined(separator: "\n")
        #expect(text.contains("THE GIL WAS ON") && text.contains("w/v on cpython-3.13.5t"))
        #expect(text.contains("crcmod._crcfunext") && text.contains("--env PYTHON_GIL=0"))
        var asked = row
        asked.env = "PYTHON_GIL=1"
        #expect(GILReturn(rows: [asked]) == nil, "the user asked for the GIL")
        var off = row
        off.gilEnabled = false
        #expect(GILReturn(rows: [off]) == nil)
        #expect(ScalingSummary(rows: [row]).text().contains("THE GIL WAS ON"))
    }
}
