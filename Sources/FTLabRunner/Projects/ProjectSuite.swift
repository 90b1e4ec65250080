import Foundation
import FTLabCore
import FTLabInterpreters

/// Which tests of a project to measure, and how pytest is called.
public struct TestSelection: Sendable, Equatable {
    /// Paths and node ids, as pytest takes them (empty: the project's own `testpaths`).
    public var tests: [String] = []
    /// pytest's `-k` expression.
    public var keyword: String?
    /// Further pytest options (`-p no:xdist`, `-o key=value`), used when collecting and measuring.
    public var pytestOptions: [String] = []

    public init(tests: [String] = [], keyword: String? = nil, pytestOptions: [String] = []) {
        self.tests = tests
        self.keyword = keyword
        self.pytestOptions = pytestOptions
    }

    /// The arguments that collect the selection.
    public var collectArguments: [String] {
        pytestOptions + (keyword.map { ["-k", $0] } ?? []) + tests
    }
}

/// A project's test suite made into an ftlab workload: a snapshot of the folder, one venv per
/// interpreter with the project and its test requirements, pytest's collection on each, and a
/// generated workload folder (each collected test a variant) that `ftlab run --workloads-dir`,
/// `explain` and `serve` take like any other.
public struct ProjectSuite: Sendable {
    public var source: ProjectSource
    public var record: ProjectRecord
    /// The generated workload folder (`--workloads-dir` it).
    public var workloadDirectory: String

    /// The packages every project venv gets besides the project: pytest, and pytest-run-parallel
    /// for its markers, fixtures and thread-safety detection.
    public static let harnessRequirements = ["pytest>=8", "pytest-run-parallel>=0.10"]
    /// The most seconds collecting (or the plain pytest run) may take on one interpreter.
    public static let collectTimeoutSeconds = 900

    /// Prepares `source` for `interpreters`: snapshot, venvs, collection, workload folder.
    /// Throws (exit 2) when no interpreter could install it, or pytest collected nothing.
    public static func prepare(_ source: ProjectSource, selection: TestSelection, interpreters: [InterpreterChoice],
                               builtinDirectory: String, cache: CacheDirectory = CacheDirectory(), plainRunTimeout: Double? = 300,
                               announce: (String) -> Void = { _ in }) async throws(ProjectError) -> ProjectSuite {
        let (snapshot, digest) = try ProjectSnapshot.make(source, cache: cache)
        announce("\(source.name): snapshot \(digest) of \(source.folder) at \(snapshot)")
        var requirements = harnessRequirements
        if source.installable {
            let extras = source.extras.isEmpty ? "" : "[\(source.extras.joined(separator: ","))]"
            requirements.append("\(source.distribution)\(extras) @ file://\(snapshot)")
        }
        requirements += source.testRequirements
        let installer = PackageInstaller(cache: cache)
        var entries: [InterpreterCollection] = []
        var plain: [String: Double] = [:]
        let collector = (builtinDirectory as NSString).appendingPathComponent("_project/collect.py")
        for interpreter in interpreters where interpreter.build != .native {
            announce("\(interpreter.label): preparing a venv for \(source.name) and its test requirements")
            let set: PackageSet
            do {
                set = try await installer.prepare(interpreter, requirements: requirements)
            } catch {
                entries.append(InterpreterCollection(interpreter: interpreter.label, build: interpreter.build.rawValue,
                                                     collection: nil, installFailure: error.description, builtFromSource: []))
                continue
            }
            let built = Self.builtFromSource(venvRoot: set.root, project: source.distribution)
            announce("\(interpreter.label): collecting the tests")
            let collection = try await collect(python: set.python, collector: collector, snapshot: snapshot,
                                               selection: selection, label: interpreter.label)
            entries.append(InterpreterCollection(interpreter: interpreter.label, build: interpreter.build.rawValue,
                                                 collection: collection, installFailure: nil, builtFromSource: built))
            if let plainRunTimeout, !collection.tests.isEmpty {
                announce("\(interpreter.label): timing a plain pytest of the \(collection.tests.count) tests (at most \(Int(plainRunTimeout)) s)")
                plain[interpreter.label] = await timePlain(python: set.python, snapshot: snapshot, arguments: collection.tests.map(\.nodeid),
                                                           selection: selection, timeout: plainRunTimeout)
            }
        }
        guard entries.contains(where: { $0.collection != nil }) else {
            throw .noInterpreterInstalled(entries.compactMap(\.installFailure).first ?? "no interpreter")
        }
        let record = ProjectRecord(name: source.name, folder: source.folder, snapshot: snapshot, digest: digest,
                                   requirements: requirements, pytestOptions: selection.pytestOptions,
                                   selection: selection.tests + (selection.keyword.map { ["-k", $0] } ?? []),
                                   interpreters: entries, plainSeconds: plain)
        if record.tests.isEmpty {
            let failed = entries.compactMap(\.collection).first { ![0, 5].contains($0.exitCode) || !$0.errors.isEmpty }
            if let failed { throw .collectionFailed(exitCode: failed.exitCode, output: failed.output) }
            throw .noTests(folder: source.folder)
        }
        let directory = "\(cache.root)/projects/\(source.name)-\(digest)/workload"
        try ProjectWorkloadFolder.write(record, to: directory, builtinDirectory: builtinDirectory)
        return ProjectSuite(source: source, record: record, workloadDirectory: directory)
    }

    /// Runs the collector in the venv, from the snapshot.
    static func collect(python: String, collector: String, snapshot: String, selection: TestSelection,
                        label: String) async throws(ProjectError) -> TestCollection {
        let out = NSTemporaryDirectory() + "ftlab-collect-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let outcome = await HostCommand("timeout", [String(collectTimeoutSeconds), python, collector, "--out", out, "--"]
                                        + selection.collectArguments,
                                        environment: PackageInstaller.cleanEnvironment, workingDirectory: snapshot).run()
        guard let outcome else { throw .collectorFailed(interpreter: label, output: "cannot start \(python)") }
        guard outcome.succeeded, let data = FileManager.default.contents(atPath: out) else {
            let why = outcome.status == 124 ? "collection took over \(collectTimeoutSeconds) s; " : ""
            throw .collectorFailed(interpreter: label, output: why + (outcome.standardError + outcome.standardOutput).lastLines(12))
        }
        do { return try JSONDecoder().decode(TestCollection.self, from: data) } catch {
            throw .collectorFailed(interpreter: label, output: "unreadable collection: \(error)")
        }
    }

    /// Seconds a plain `pytest` of `arguments` takes in the venv (the suite's T); nil when it
    /// cannot be timed or runs past `timeout` (a test that hangs).
    static func timePlain(python: String, snapshot: String, arguments: [String], selection: TestSelection,
                          timeout: Double) async -> Double? {
        let start = ContinuousClock.now
        let outcome = await HostCommand("timeout", [String(max(1, Int(timeout.rounded(.up)))), python, "-m", "pytest", "-q",
                                                    "-p", "no:cacheprovider"] + selection.pytestOptions + arguments,
                                        environment: PackageInstaller.cleanEnvironment, workingDirectory: snapshot,
                                        output: .discarded, error: .discarded).run()
        guard let outcome, outcome.status != 124 else { return nil }
        return MonotonicClock.seconds(since: start)
    }

    /// The distributions pip built a wheel for (its install log's "Building wheel for NAME"), the project itself left out.
    static func builtFromSource(venvRoot: String, project: String) -> [String] {
        let log = ((venvRoot as NSString).deletingLastPathComponent as NSString).appendingPathComponent("install.log")
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return [] }
        var names: [String] = []
        for line in text.split(separator: "\n") {
            guard let range = line.range(of: "Building wheel for ") else { continue }
            let name = String(line[range.upperBound...].prefix { !$0.isWhitespace })
            if normalize(name) != normalize(project), !names.contains(name) { names.append(name) }
        }
        return names
    }

    static func normalize(_ name: String) -> String {
        name.lowercased().map { "-_.".contains($0) ? "-" : String($0) }.joined()
    }
}

/// A copy of the project folder under the cache, named by a digest of its files: the tests run
/// from it and pip installs it, so an edit during a run changes nothing, and another state of
/// the project gets its own venvs.
enum ProjectSnapshot {
    /// Folders that are never part of a project's source.
    static let skipped: Set<String> = [".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__",
                                       ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist", ".eggs"]

    /// The snapshot folder and its 12-hex digest (made once per digest).
    static func make(_ source: ProjectSource, cache: CacheDirectory) throws(ProjectError) -> (String, String) {
        let fm = FileManager.default
        var files: [String] = []
        guard let walker = fm.enumerator(atPath: source.folder) else { throw .snapshotFailed("cannot read \(source.folder)") }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            let full = "\(source.folder)/\(relative)"
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: full, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                if skipped.contains(name) || name.hasSuffix(".egg-info") { walker.skipDescendants() }
                continue
            }
            if name.hasSuffix(".pyc") || name.hasSuffix(".so") { continue }
            files.append(relative)
        }
        files.sort()
        var hash = SHA256()
        for relative in files {
            hash.update(Array(relative.utf8) + [0])
            hash.update(Array(fm.contents(atPath: "\(source.folder)/\(relative)") ?? Data()))
            hash.update([0])
        }
        let digest = String(hash.hexDigest().prefix(12))
        let root = "\(cache.root)/projects/\(source.name)-\(digest)"
        let snapshot = "\(root)/src"
        let done = "\(root)/snapshot-complete"
        if fm.fileExists(atPath: done) { return (snapshot, digest) }
        try? fm.removeItem(atPath: snapshot)
        do {
            for relative in files {
                let target = "\(snapshot)/\(relative)"
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try fm.copyItem(atPath: "\(source.folder)/\(relative)", toPath: target)
            }
            _ = fm.createFile(atPath: done, contents: Data((digest + "\n").utf8))
        } catch {
            throw .snapshotFailed("copying into \(snapshot): \(error.localizedDescription)")
        }
        return (snapshot, digest)
    }
}
