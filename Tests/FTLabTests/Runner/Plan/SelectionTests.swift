import Testing
@testable import FTLabRunner
import FTLabHarness
import FTLabInterpreters

@Suite("Workload selection and run input")
struct SelectionTests {
    var catalog: WorkloadCatalog {
        get throws { try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads") }
    }

    @Test("selectors pick workloads and variants, no selector picks everything")
    func selectors() throws {
        let c = try catalog
        #expect(try c.select([]).map(\.variant) == ["sum", "other"])
        #expect(try c.select(["tiny/other"]).map(\.variant) == ["other"])
        #expect(try c.select(["tiny", "tiny/sum"]).map(\.variant) == ["sum", "other"])
    }

    @Test("unknown workloads and variants are refused naming what exists")
    func unknown() throws {
        let c = try catalog
        #expect(throws: WorkloadError.unknownWorkload("nope", known: ["tiny"])) { try c.select(["nope"]) }
        #expect(throws: WorkloadError.unknownVariant(workload: "tiny", variant: "x", known: ["sum", "other"])) {
            try c.select(["tiny/x"])
        }
    }

    @Test("parameters merge over defaults and unknown ones are refused")
    func params() throws {
        let c = try catalog
        let tiny = try c.workload(named: "tiny")
        #expect(try ParameterSettings.parse([], catalog: c, selection: [tiny]).values(for: tiny) == ["n": "100"])
        #expect(try ParameterSettings.parse(["n=5"], catalog: c, selection: [tiny]).values(for: tiny) == ["n": "5"])
        #expect(try ParameterSettings.parse(["tiny.n=7"], catalog: c, selection: [tiny]).values(for: tiny) == ["n": "7"])
        #expect(throws: WorkloadError.self) { try ParameterSettings.parse(["m=5"], catalog: c, selection: [tiny]) }
        #expect(throws: WorkloadError.badParameter("=5")) { try ParameterSettings.parse(["=5"], catalog: c, selection: [tiny]) }
    }

    @Test("a parameter given again with another value is swept; the same value twice is not")
    func sweeps() throws {
        let c = try catalog
        let tiny = try c.workload(named: "tiny")
        #expect(try ParameterSettings.parse(["n=5"], catalog: c, selection: [tiny]).combinations(for: tiny) == [["n": "5"]])
        #expect(try ParameterSettings.parse([], catalog: c, selection: [tiny]).combinations(for: tiny) == [["n": "100"]])
        #expect(try ParameterSettings.parse(["n=5", "n=5"], catalog: c, selection: [tiny]).combinations(for: tiny) == [["n": "5"]])
        #expect(try ParameterSettings.parse(["n=5", "n=7"], catalog: c, selection: [tiny]).combinations(for: tiny)
            == [["n": "5"], ["n": "7"]])
        // The workload's own setting replaces a global sweep of the same key.
        #expect(try ParameterSettings.parse(["n=5", "n=7", "tiny.n=9"], catalog: c, selection: [tiny]).combinations(for: tiny)
            == [["n": "9"]])
        #expect(try ParameterSettings.parse(["tiny.n=1", "tiny.n=2"], catalog: c, selection: [tiny]).combinations(for: tiny)
            == [["n": "1"], ["n": "2"]])
    }

    @Test("thread lists and env settings are validated")
    func runInput() throws {
        #expect(try parseThreadList("1,2,4") == [1, 2, 4])
        #expect(try parseThreadList("2,2,1") == [2, 1])
        for bad in ["", "0", "1,,2", "a", "-1", "1.5"] {
            #expect(throws: RunInputError.badThreads(bad)) { try parseThreadList(bad) }
        }
        #expect(try EnvSetting.parse("PYTHON_GIL=1") == EnvSetting(key: "PYTHON_GIL", value: "1"))
        #expect(try EnvSetting.parse("A=b=c") == EnvSetting(key: "A", value: "b=c"))
        #expect(throws: RunInputError.badEnv("=1")) { try EnvSetting.parse("=1") }
        #expect(throws: RunInputError.badEnv("NOEQ")) { try EnvSetting.parse("NOEQ") }
        #expect(defaultThreadCounts(cpus: 2) == [1, 2, 3])
        #expect(defaultThreadCounts(cpus: 6) == [1, 2, 4, 6, 7])
        #expect(defaultThreadCounts(cpus: 1) == [1, 2])
    }

    @Test("a manifest missing a field names the file, the line and the field")
    func badManifest() {
        #expect(throws: WorkloadError.badManifest(path: "m.toml:1", reason: "missing field `unit` at the top level")) {
            try WorkloadManifest.parse("name = \"x\"\ndescription = \"d\"\nquestion = \"q\"\n[[variants]]\nname = \"v\"\nquestion = \"q\"\n", path: "m.toml")
        }
        let secondVariant = "name = \"x\"\ndescription = \"d\"\nquestion = \"q\"\nunit = \"u\"\n[[variants]]\nname = \"v\"\nquestion = \"q\"\n\n[[variants]] # no question\nname = \"w\"\n"
        #expect(throws: WorkloadError.badManifest(path: "m.toml:9", reason: "missing field `question` in [[variants]] #2")) {
            try WorkloadManifest.parse(secondVariant, path: "m.toml")
        }
        let numericDefault = "name = \"x\"\ndescription = \"d\"\nquestion = \"q\"\nunit = \"u\"\n[[variants]]\nname = \"v\"\nquestion = \"q\"\n[[params]]\nname = \"n\"\ndefault = 5\ndescription = \"d\"\n"
        #expect(throws: WorkloadError.self) { try WorkloadManifest.parse(numericDefault, path: "m.toml") }
        do {
            _ = try WorkloadManifest.parse(numericDefault, path: "m.toml")
        } catch {
            #expect(error.description.hasPrefix("bad workload manifest m.toml:10: `default` in [[params]] #1 must be a string"), "\(error)")
        }
    }

    @Test("the schedule interleaves builds at equal threads, repetition-major")
    func schedule() throws {
        let c = try catalog
        let tiny = try c.workload(named: "tiny")
        let configs = ["a", "b"].map { label in
            RunConfiguration(workload: tiny, variant: "sum", params: [:], interpreter: InterpreterChoice(label: label, path: "/p"),
                             threads: 1, placement: .unpinned, allocator: .system, env: [], seed: 1)
        }
        let units = WorkUnitRunner.schedule(configs, processes: 2)
        #expect(units.map { "\($0.configuration.interpreter.label)\($0.process)" } == ["a1", "b1", "a2", "b2"])
    }
}
