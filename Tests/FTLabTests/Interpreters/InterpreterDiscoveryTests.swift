import Foundation
import Testing
import FTLabRunner
import FTLabInterpreters

@Suite("Interpreters on the machine: names and pairs")
struct InterpreterDiscoveryTests {
    @Test func onlyVersionedCPythonNamesAreCandidates() {
        for name in ["python3", "python3.13", "python3.14t", "python3.15"] { #expect(InterpreterDiscovery.isPythonName(name), "\(name)") }
        for name in ["python", "python3-config", "python3.14-config", "python3.t", "python3.14td", "pythonw", "python3.x"] {
            #expect(!InterpreterDiscovery.isPythonName(name), "\(name)")
        }
    }

    @Test func buildsOfOneReleasePairAndVenvsAndOldReleasesDoNot() {
        func found(_ path: String, _ version: String, _ build: Interpreter.Build, note: String? = nil) -> FoundInterpreter {
            FoundInterpreter(path: path, foundIn: "PATH", version: version, build: build, note: note)
        }
        let all = [
            found("/a/python3.14t", "3.14.7", .freethreaded),
            found("/venv/bin/python3.14", "3.14.7", .gil, note: "a venv of /a/python3.14"),
            found("/a/python3.14", "3.14.7", .gil),
            found("/b/python3.13t", "3.13.5", .freethreaded),
            found("/c/python3.12", "3.12.1", .gil, note: "before 3.13: no free-threaded build to pair"),
        ]
        let pairs = InterpreterDiscovery.pairs(all)
        #expect(pairs.map(\.version) == ["3.14.7"])
        #expect(pairs.first?.gil.path == "/a/python3.14" && pairs.first?.freethreaded.path == "/a/python3.14t")
        let text = InterpreterDiscovery.summaryText(all)
        #expect(text.contains("3.14.7: /a/python3.14 + /a/python3.14t"), "\(text)")
        #expect(text.contains("/venv/bin/python3.14  (a venv of /a/python3.14)"), "\(text)")
    }
}

/// A pair that ftlab did not build: a copy of the lab pair in another folder, on PATH.
@Suite("Interpreters on the machine: a pair ftlab did not build", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct FoundPairIntegrationTests {
    /// Hard-linked copies of both lab builds, without their manifests, under `scratch/copies`,
    /// and a folder of links named as a distribution names them.
    static func copiedPair(in scratch: String) throws -> (bin: String, gil: String, ft: String) {
        let bin = "\(scratch)/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        var executables: [String] = []
        for build in [Interpreter.Build.gil, .freethreaded] {
            let original = try TestPaths.labPython(build)
            let prefix = URL(fileURLWithPath: original).deletingLastPathComponent().deletingLastPathComponent()
            let copy = "\(scratch)/copies/\(prefix.lastPathComponent)-copy"
            try FileManager.default.createDirectory(atPath: "\(scratch)/copies", withIntermediateDirectories: true)
            #expect(try runProgram("/bin/cp", ["-al", prefix.path, copy]).status == 0)
            try? FileManager.default.removeItem(atPath: "\(copy)/ftlab-manifest.json")
            let name = (original as NSString).lastPathComponent
            try FileManager.default.createSymbolicLink(atPath: "\(bin)/\(name)", withDestinationPath: "\(copy)/bin/\(name)")
            executables.append("\(bin)/\(name)")
        }
        return (bin, executables[0], executables[1])
    }

    @Test func envFindsAndPairsItAndPythonXYUsesItWhenTheLabHasNone() throws {
        let scratch = TestPaths.scratch("foundpair")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let copied = try Self.copiedPair(in: scratch)
        // An empty lab cache: only the copies can answer.
        let environment = ["FTLAB_CACHE": "\(scratch)/cache", "PATH": "\(copied.bin):/usr/bin:/bin", "HOME": scratch]
        let env = try ftlab(["env", "--format", "json"], environment: environment)
        #expect(env.status == 0, "\(env.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(env.stdout.utf8)) as? [String: Any])
        let interpreters = try #require(document["interpreters"] as? [[String: Any]])
        let mine = interpreters.filter { ($0["path"] as? String)?.hasPrefix(copied.bin) == true }
        #expect(mine.map { $0["build"] as? String } == ["gil", "freethreaded"], "\(mine)")
        #expect(mine.allSatisfy { $0["version"] as? String == PinnedPair.version && $0["found_in"] as? String == "PATH" })
        let pairs = try #require(document["pairs"] as? [[String: Any]])
        #expect(pairs.contains { $0["version"] as? String == PinnedPair.version }, "\(pairs)")

        // A venv made from the copy is described as one, not paired.
        let venv = "\(scratch)/venv"
        #expect(try runProgram(copied.gil, ["-m", "venv", "--without-pip", venv]).status == 0)
        let withVenv = try ftlab(["env"], environment: environment.merging(["PATH": "\(venv)/bin:\(copied.bin):/usr/bin:/bin"]) { $1 })
        #expect(withVenv.stdout.contains("\(venv)/bin/python3") && withVenv.stdout.contains("(a venv of"), "\(withVenv.stdout)")
        let series = PinnedPair.version.split(separator: ".").prefix(2).joined(separator: ".")
        #expect(withVenv.stdout.contains("\(PinnedPair.version): \(copied.gil) + \(copied.ft)"), "\(withVenv.stdout)")

        // --python X.Y: no lab pair in this cache, so the pair found on PATH runs.
        let run = try ftlab(["run", "log-processing/partitioned", "--python", series, "--threads", "1", "--quick",
                             "--processes", "1", "--param", "lines=2000", "-o", "\(scratch)/found.csv"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let csv = try String(contentsOfFile: "\(scratch)/found.csv", encoding: .utf8)
        #expect(csv.contains(copied.gil) && csv.contains(copied.ft), "the rows name the found interpreters")
        // An unknown release lists what was found and how to build a pair.
        let unknown = try ftlab(["run", "log-processing/partitioned", "--python", "3.99", "-o", "\(scratch)/none.csv"], environment: environment)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("pairs found on this machine: \(PinnedPair.version)") && unknown.stderr.contains("ftlab lab pythons --version 3.99"),
                "\(unknown.stderr)")
    }
}
