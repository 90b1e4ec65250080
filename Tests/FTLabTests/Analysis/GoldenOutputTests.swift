import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabRunner
import FTLabAnalysis

/// Behaviour kept byte for byte: today's ftlab against outputs recorded before the library was
/// split into layers (Fixtures/golden/README.md), over the committed full-suite run.
@Suite struct GoldenOutputTests {
    static let run = TestPaths.repository + "/results/full-2cpu-epyc.csv"
    static let sysfs = TestPaths.fixtures + "/sysfs/2socket-16core-smt"

    static func golden(_ name: String) throws -> String {
        try String(contentsOfFile: TestPaths.fixtures + "/golden/" + name, encoding: .utf8)
    }

    @Test("commands print what they printed before", .tags(.integration), .skippedInUnitRuns, arguments: [
        ("compare.txt", ["compare", run, run]),
        ("compare.csv", ["compare", run, run, "--format", "csv"]),
        ("compare.json", ["compare", run, run, "--format", "json"]),
        ("report.md", ["report", run, "--format", "markdown"]),
        ("plan.txt", ["plan", "--threads", "4", "--placement", "spread", "--sysfs-root", sysfs]),
        ("plan.json", ["plan", "--threads", "4", "--placement", "spread", "--sysfs-root", sysfs, "--format", "json"]),
        ("list.txt", ["list"]),
        ("list.json", ["list", "--format", "json"]),
        ("plan.json", ["plan", "--threads", "4", "--placement", "spread", "--sysfs-root", sysfs, "--json"]),  // the alias
    ])
    func sameOutput(golden name: String, arguments: [String]) throws {
        // The ftscalingbench and lockbench workloads list the scripts this machine has, and
        // `ftlab list` the venvs earlier runs left in the cache; the goldens hold neither.
        let result = try ftlab(arguments, environment: [
            "FTLAB_FTSCALINGBENCH": "/nonexistent/ftscalingbench.py", "FTLAB_LOCKBENCH": "/nonexistent/lockbench.py",
            "FTLAB_CACHE": TestPaths.scratch(),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let repository = TestPaths.repository
        // The goldens were recorded with the run given as `results/...` from the checkout.
        let normalised = result.stdout
            .replacingOccurrences(of: repository + "/results/", with: "results/")
            .replacingOccurrences(of: repository.replacingOccurrences(of: "/", with: "\\/"), with: "<repository>")
            .replacingOccurrences(of: repository, with: "<repository>")
        let expected = try Self.golden(name)
        #expect(normalised == expected, "ftlab \(arguments.joined(separator: " ")) differs from golden/\(name)")
    }

    @Test("ReportDocument, called in-process, renders the golden markdown and counts what it covers")
    func reportDocument() throws {
        let document = try ReportDocument(files: [Self.run, Self.run], format: .markdown)
        #expect(document.paths == [Self.run], "a file named twice is read once")
        #expect(document.text.replacingOccurrences(of: TestPaths.repository + "/results/", with: "results/")
                == (try Self.golden("report.md")))
        #expect(document.runCount == 1 && document.sectionCount == 11 && document.warnings.isEmpty, "as `ftlab report` says of this run")
        #expect(throws: ResultsError.self) { try ReportDocument(files: [TestPaths.scratch() + "/missing.csv"], format: .json) }
    }

    @Test("the HTML report of the committed run is the committed page", .tags(.integration), .skippedInUnitRuns)
    func sameReport() throws {
        let output = TestPaths.scratch() + "/report.html"
        let result = try ftlab(["report", Self.run, "-o", output])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // The page names the file it was given; the committed one was given a relative path.
        let page = try String(contentsOfFile: output, encoding: .utf8)
            .replacingOccurrences(of: "From \(TestPaths.repository)/results/", with: "From results/")
        let committed = try String(contentsOfFile: TestPaths.repository + "/results/full-2cpu-epyc.html", encoding: .utf8)
        #expect(page == committed)
    }

    static func sha256(of paths: [String]) throws -> String {
        var digest = SHA256()
        for path in paths { digest.update(try Data(contentsOf: URL(fileURLWithPath: path))) }
        return digest.hexDigest()
    }

    /// `ftlab merge` of the committed run with a header-only file writes the bytes recorded in
    /// rewrite.sha256 (the file as ftlab rewrites it), and of the run with itself every row twice.
    @Test("merge writes the committed run byte for byte as before", .tags(.integration), .skippedInUnitRuns, arguments: [
        ("rewrite.sha256", false),
        ("merge-twice.sha256", true),
    ])
    func sameMerge(golden name: String, twice: Bool) throws {
        let scratch = TestPaths.scratch("merge-\(twice)")
        let headerOnly = scratch + "/header-only.csv"
        let header = try String(contentsOfFile: Self.run, encoding: .utf8).prefix { $0 != "\n" }
        try (header + "\n").write(toFile: headerOnly, atomically: true, encoding: .utf8)
        let output = scratch + "/merged.csv"
        let result = try ftlab(["merge", Self.run, twice ? Self.run : headerOnly, "-o", output])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(try Self.sha256(of: [output]) == String(try Self.golden(name).prefix(64)))
    }

    @Test("export --format pyperf writes the files it wrote before", .tags(.integration), .skippedInUnitRuns)
    func sameExport() throws {
        let folder = TestPaths.scratch() + "/pyperf"
        let result = try ftlab(["export", Self.run, "--format", "pyperf", "-o", folder])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
        #expect(files.count == 2)
        #expect(try Self.sha256(of: files) == String(try Self.golden("export-pyperf.sha256").prefix(64)))
    }

    @Test("the schema table writes the committed run back as ftlab wrote it before (sha256)")
    func roundTrip() throws {
        let rows = try ResultReader(path: Self.run).rows
        #expect(rows.count > 1000)
        let copy = TestPaths.scratch() + "/copy.csv"
        try ResultFile.rewrite(path: copy, keeping: rows)
        var digest = SHA256()
        digest.update(try Data(contentsOf: URL(fileURLWithPath: copy)))
        let recorded = try Self.golden("rewrite.sha256").prefix(64)
        #expect(digest.hexDigest() == String(recorded))
        #expect(ResultRow.configurationColumns == [
            "workload", "variant", "params", "interpreter", "python_version", "build", "env",
            "threads", "placement", "allocator",
        ])
    }
}
