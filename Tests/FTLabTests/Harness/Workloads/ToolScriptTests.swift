import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabHarness
@testable import FTLabInterpreters
@testable import FTLabRunner
@testable import FTLabBuilds

/// Finding CPython's tool scripts and turning what they register into variants (no programs run).
@Suite struct ToolScriptTests {
    static let source = ScriptSource(tool: "ftscalingbench", decorator: "register_benchmark")

    /// A stand-in with ftscalingbench's shape (written here; CPython's file is never copied).
    static let script = """
        ALL_BENCHMARKS = {}
        def register_benchmark(func):
            ALL_BENCHMARKS[func.__name__] = func
            return func

        @register_benchmark
        def first():
            return 1

        def helper():  # not registered
            pass

        @register_benchmark
        # a comment between decorator and def
        def second(): pass

        if hasattr(__builtins__, "frozendict"):
            @register_benchmark
            def third():
                pass

        @other_decorator
        def fourth():
            pass
        """

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func examples(_ cache: String, _ minor: String, _ version: String) -> String {
        "\(cache)/tools/python\(minor)-examples-\(version)/usr/share/doc/python\(minor)/examples/ftscalingbench/ftscalingbench.py"
    }

    @Test func registeredFunctionsInFileOrderIncludingIndentedOnes() {
        #expect(ToolScriptLocator.registered(in: Self.script, decorator: "register_benchmark") == ["first", "second", "third"])
        #expect(ToolScriptLocator.registered(in: "def first(): pass\n", decorator: "register_benchmark").isEmpty)
    }

    @Test func newestExamplesPackageWinsAndItsDigestIsTheFiles() throws {
        let cache = TestPaths.scratch()
        try Self.write(Self.script, to: Self.examples(cache, "3.14", "3.14.10"))
        try Self.write(Self.script + "\n@register_benchmark\ndef extra(): pass\n", to: Self.examples(cache, "3.15", "3.15.2"))
        try Self.write(Self.script, to: Self.examples(cache, "3.9", "3.9.1"))
        let locator = ToolScriptLocator(environment: [:], cache: CacheDirectory(root: cache), systemDocs: cache + "/none")
        let found = try #require(locator.locate(Self.source).located)
        #expect(found.path == Self.examples(cache, "3.15", "3.15.2"))
        #expect(found.origin == "Debian python3.15-examples 3.15.2")
        #expect(found.benchmarks == ["first", "second", "third", "extra"])
        var hasher = SHA256()
        hasher.update(Array(try Data(contentsOf: URL(fileURLWithPath: found.path))))
        #expect(found.sha256 == hasher.hexDigest())
    }

    @Test func theEnvironmentVariableTakesAFileASourceTreeOrAPackageRoot() throws {
        let root = TestPaths.scratch()
        let tree = root + "/Python-3.14.0/Tools/ftscalingbench/ftscalingbench.py"
        try Self.write(Self.script, to: tree)
        try Self.write(Self.script, to: Self.examples(root + "/pkg", "3.15", "3.15.2"))
        let empty = CacheDirectory(root: root + "/cache")
        for (given, expected) in [(tree, tree), (root + "/Python-3.14.0", tree),
                                  (root + "/pkg/tools/python3.15-examples-3.15.2", Self.examples(root + "/pkg", "3.15", "3.15.2"))] {
            let located = ToolScriptLocator(environment: ["FTLAB_FTSCALINGBENCH": given], cache: empty).locate(Self.source).located
            #expect(located?.path == expected)
            #expect(located?.origin == "FTLAB_FTSCALINGBENCH")
        }
        let missing = ToolScriptLocator(environment: ["FTLAB_FTSCALINGBENCH": root + "/nothing"], cache: empty).locate(Self.source)
        #expect(missing == .missing(reason: "FTLAB_FTSCALINGBENCH=\(root)/nothing holds no ftscalingbench.py (looked for \(root)/nothing)"))
    }

    @Test func aFileThatRegistersNothingIsNotTheScript() throws {
        let file = TestPaths.scratch() + "/ftscalingbench.py"
        try Self.write("print('hello')\n", to: file)
        let status = ToolScriptLocator(environment: ["FTLAB_FTSCALINGBENCH": file]).locate(Self.source)
        #expect(status.located == nil)
        #expect(status == .missing(reason: "\(file) registers no function with @register_benchmark: not CPython's ftscalingbench.py?"))
    }

    @Test func withoutTheScriptTheWorkloadIsListedUnavailableAndNamingItFails() throws {
        let cache = TestPaths.scratch()
        let locator = ToolScriptLocator(environment: [:], cache: CacheDirectory(root: cache), systemDocs: cache + "/none")
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads, locator: locator)
        let workload = try catalog.workload(named: "ftscalingbench")
        let reason = "no ftscalingbench.py found (FTLAB_FTSCALINGBENCH is not set; none under \(cache)/tools, "
            + "\(cache)/build or \(cache)/none/python3.*/examples)"
        #expect(workload.unavailable == reason)
        #expect(workload.manifest.variants.isEmpty)
        #expect(throws: WorkloadError.unavailable(workload: "ftscalingbench", reason: reason)) { try catalog.select(["ftscalingbench"]) }
        #expect(throws: WorkloadError.unavailable(workload: "ftscalingbench", reason: reason)) { try catalog.select(["ftscalingbench/pymethod"]) }
        #expect(WorkloadError.unavailable(workload: "ftscalingbench", reason: reason).description.hasSuffix("get the script with `ftlab lab examples`"))
        #expect(try catalog.select([]).allSatisfy { $0.workload.name != "ftscalingbench" })
        let text = catalog.text()
        #expect(text.contains("  unavailable: \(reason)\n  get it with: ftlab lab examples\n"))
        #expect(try catalog.json().contains("\"unavailable\" : \"no ftscalingbench.py found"))
    }

    @Test func aFoundScriptGivesTheVariantsTheDigestParameterAndTheProcessEnvironment() throws {
        let cache = TestPaths.scratch()
        let path = Self.examples(cache, "3.15", "3.15.2")
        try Self.write(Self.script, to: path)
        let locator = ToolScriptLocator(environment: [:], cache: CacheDirectory(root: cache), systemDocs: cache + "/none")
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads, locator: locator)
        let workload = try catalog.workload(named: "ftscalingbench")
        let located = try #require(workload.script?.located)
        #expect(workload.manifest.variants.map(\.name) == ["first", "second", "third"])
        #expect(workload.manifest.params.first { $0.name == "script_sha256" }?.default == located.sha256)
        #expect(workload.harnessEnvironment == ["FTLAB_FTSCALINGBENCH": path])
        #expect(try catalog.select(["ftscalingbench/second"]).map(\.variant) == ["second"])
        #expect(throws: WorkloadError.unknownVariant(workload: "ftscalingbench", variant: "nope", known: ["first", "second", "third"])) {
            try catalog.select(["ftscalingbench/nope"])
        }
        #expect(catalog.text().contains("  script: \(path)\n    sha256 \(located.sha256); Debian python3.15-examples 3.15.2; 3 registered functions\n"))
    }

    @Test func aScriptWorkloadMayNotAlsoDeclareVariants() throws {
        let text = """
            name = "x"
            description = "d"
            question = "q"
            unit = "calls"
            [script]
            tool = "ftscalingbench"
            decorator = "register_benchmark"
            """
        #expect(try WorkloadManifest.parse(text, path: "workload.toml").script == Self.source)
        #expect(throws: WorkloadError.badManifest(path: "workload.toml",
                reason: "[[variants]] with a [script] decorator: the script's registered functions are the variants")) {
            try WorkloadManifest.parse(text + "\n[[variants]]\nname = \"v\"\nquestion = \"q\"\n", path: "workload.toml")
        }
    }

    @Test func aScriptWithoutADecoratorListsItsVariantsAndNamesWhatTheScriptUses() throws {
        let head = "name = \"x\"\ndescription = \"d\"\nquestion = \"q\"\nunit = \"acquisitions\"\n[script]\ntool = \"lockbench\"\n"
        let variants = "[[variants]]\nname = \"v\"\nquestion = \"q\"\n"
        let manifest = try WorkloadManifest.parse(head + "uses = \"benchmark_locks\"\n" + variants, path: "workload.toml")
        #expect(manifest.script == ScriptSource(tool: "lockbench", uses: "benchmark_locks"))
        #expect(manifest.variants.map(\.name) == ["v"])
        #expect(throws: WorkloadError.badManifest(path: "workload.toml",
                reason: "[script] needs `decorator` (its functions are the variants) or `uses` (a name the script must contain)")) {
            try WorkloadManifest.parse(head + variants, path: "workload.toml")
        }
        #expect(throws: WorkloadError.self) { try WorkloadManifest.parse(head + "uses = \"benchmark_locks\"\n", path: "workload.toml") }
    }

    @Test func lockbenchKeepsItsOwnVariantsAndRefusesAFileThatNeverMentionsBenchmarkLocks() throws {
        let cache = TestPaths.scratch()
        let path = "\(cache)/tools/python3.15-examples-3.15.2/usr/share/doc/python3.15/examples/lockbench/lockbench.py"
        let locator = ToolScriptLocator(environment: [:], cache: CacheDirectory(root: cache), systemDocs: cache + "/none")
        try Self.write("print('not lockbench')\n", to: path)
        let stray = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads, locator: locator).workload(named: "lockbench")
        #expect(stray.unavailable == "\(path) never mentions benchmark_locks: not CPython's lockbench.py?")
        try Self.write("from _testinternalcapi import benchmark_locks\n", to: path)
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads, locator: locator)
        let workload = try catalog.workload(named: "lockbench")
        let located = try #require(workload.script?.located)
        #expect(workload.manifest.variants.map(\.name) == ["pymutex", "pythread-lock"])
        #expect(workload.manifest.params.first { $0.name == "script_sha256" }?.default == located.sha256)
        #expect(workload.harnessEnvironment == ["FTLAB_LOCKBENCH": path])
        #expect(catalog.text().contains("  script: \(path)\n    sha256 \(located.sha256); Debian python3.15-examples 3.15.2\n"))
    }

    @Test func variantsAnInterpreterCannotRunAreSkippedAndSaidSo() throws {
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads")
        var request = RunRequest()
        request.selectors = ["tiny/sum"]
        request.interpreters = [InterpreterChoice(label: "gil", path: "/gil", build: .gil),
                                InterpreterChoice(label: "ft", path: "/ft", build: .freethreaded)]
        request.threads = [1, 2]
        request.unsupported = [UnsupportedVariant(interpreterPath: "/ft", workload: "tiny", variant: "sum", reason: "needs frozendict")]
        let plan = try RunPlan.make(request, catalog: catalog, topology: try SysfsFixture.thisMachine.topology())
        #expect(Set(plan.configurations.map(\.interpreter.label)) == ["gil"])
        #expect(plan.skipped == ["tiny/sum on ft: needs frozendict"])
    }

    @Test func examplesVersionsAndDebianVersionNumbers() throws {
        #expect(ExamplesPackage.upstream("3.15.2-1") == "3.15.2")
        #expect(ExamplesPackage.upstream("1:3.14.10-1+b1") == "3.14.10")
        #expect(try ExamplesPackage(version: "3.14", cache: CacheDirectory(root: "/c")).package == "python3.14-examples")
        #expect(throws: ExamplesError.unknownVersion("3.16", known: ["3.15", "3.14"])) { try ExamplesPackage(version: "3.16") }
        #expect(ExamplesError.unknownVersion("3.16", known: ["3.15", "3.14"]).description
            == "unknown examples version \"3.16\"; accepted: 3.15, 3.14")
    }
}
