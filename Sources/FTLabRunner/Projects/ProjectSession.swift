import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters

/// `ftlab project` from parsed options to rows: reads the project (and, with `against`, the
/// change's checkout), installs and collects it on every interpreter, says what collection
/// found, and measures the generated workload through a ``RunSession``; with `against`, both
/// checkouts in one run, every test's configurations of the two side by side in time. The
/// caller prints the summaries and, for a pair, the comparison.
public struct ProjectSession: Sendable {
    /// What `ftlab project` is asked to do.
    public struct Options: Sendable {
        /// The project folder (the base, with `against`).
        public var folder: String
        /// A second checkout of the project: the change measured against `folder`.
        public var against: String?
        /// The workload name the rows carry; nil: the project's distribution name.
        public var name: String?
        /// Extras to install with the project; empty: its test/tests/testing/dev extras.
        public var extras: [String] = []
        public var requirementsFiles: [String] = []
        public var selection = TestSelection()
        /// The run's options; the session sets the selectors, the workloads folder and (when
        /// nil) the output.
        public var run = RunSession.Options()

        public init(folder: String) {
            self.folder = folder
        }
    }

    public var options: Options
    public var launcher: String

    public init(launcher: String = executablePath(), _ options: Options) {
        self.options = options
        self.launcher = launcher
    }

    /// Prepares the project (and the change), then measures. Bad input (not a project, nothing
    /// collected, nothing installs) throws before anything is measured.
    public func run() async throws -> ProjectOutcome {
        let source = try read(options.folder)
        let interpreters = try await InterpreterChoice.resolve(options.run.pythons)
        let catalog = try WorkloadCatalog.load()
        let suite = try await ProjectSuite.prepare(source, selection: options.selection, interpreters: interpreters,
                                                   builtinDirectory: catalog.builtinDirectory,
                                                   plainRunTimeout: options.run.timeoutSeconds,
                                                   announce: { Diagnostics.note($0) })
        Self.announce(suite.record)
        guard let against = options.against else {
            var run = options.run
            run.selectors = [suite.record.name]
            run.workloadsDirectories = [suite.workloadDirectory]
            run.output = run.output ?? RunOutput.defaultPath(prefix: "project-\(suite.record.name)")
            return ProjectOutcome(run: try await RunSession(launcher: launcher, run).run(), suite: suite, pair: nil)
        }

        var changed = try read(against)
        changed.name = source.name
        let new = try await ProjectSuite.prepare(changed, selection: options.selection, interpreters: interpreters,
                                                 builtinDirectory: catalog.builtinDirectory, plainRunTimeout: nil,
                                                 announce: { Diagnostics.note($0) })
        Self.announce(new.record)
        let pair = try ProjectPair.make(base: suite, new: new, builtinDirectory: catalog.builtinDirectory)
        for test in pair.unpaired { Diagnostics.note("\(test): collected in one checkout only, not compared") }
        var run = options.run
        run.selectors = [pair.name]
        run.workloadsDirectories = [pair.workloadDirectory]
        run.params += ProjectPair.values.map { "checkout=\($0)" }
        let output = run.output ?? RunOutput.defaultPath(prefix: "project-\(pair.name)-ab")
        run.output = URL(fileURLWithPath: output).standardizedFileURL.path
        // The checkout parameter's requirements files are found beside the generated manifest.
        let here = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(pair.workloadDirectory)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(here) }
        return ProjectOutcome(run: try await RunSession(launcher: launcher, run).run(), suite: suite, pair: pair)
    }

    private func read(_ folder: String) throws -> ProjectSource {
        try ProjectSource.read(folder: folder, name: options.name, extras: options.extras.isEmpty ? nil : options.extras,
                               requirementsFiles: options.requirementsFiles)
    }

    /// What collection found on each interpreter, before measuring.
    static func announce(_ record: ProjectRecord) {
        for entry in record.interpreters {
            if let failure = entry.installFailure {
                Diagnostics.warning("\(entry.interpreter): the project does not install; its rows are failed: \(failure)")
                continue
            }
            guard let c = entry.collection else { continue }
            var line = "\(entry.interpreter): pytest \(c.pytest) collected \(c.tests.count) tests"
            let unsafe = c.tests.filter { $0.threadUnsafe != nil }.count
            if unsafe > 0 { line += ", \(unsafe) thread-unsafe (one thread only)" }
            if !c.skipped.isEmpty { line += ", \(c.skipped.count) skipped by their marks" }
            if !c.unsupported.isEmpty { line += ", \(c.unsupported.count) not measurable (\(c.unsupported[0].reason))" }
            Diagnostics.note(line)
            for error in c.errors {
                Diagnostics.warning("\(entry.interpreter): \(error.nodeid) failed to collect (its tests are left out):\n\(error.reason)")
            }
            for module in c.gilEnabledBy {
                let from = module.distribution.isEmpty ? "" : " (distribution \(module.distribution))"
                Diagnostics.warning("\(entry.interpreter): importing \(module.module)\(from) re-enabled the GIL")
            }
            if !entry.builtFromSource.isEmpty {
                Diagnostics.note("\(entry.interpreter): pip built from source: \(entry.builtFromSource.joined(separator: ", "))")
            }
        }
    }
}

/// What `ftlab project` measured: the run, the project's suite (the base, with a pair) and,
/// for `against`, the pair both checkouts ran as.
public struct ProjectOutcome: Sendable {
    public var run: RunOutcome
    public var suite: ProjectSuite
    public var pair: ProjectPair?

    /// The `params` text of each side of a pair's rows (base, new); empty without a pair.
    public func sideParams(pytestOptions: [String]) -> [String] {
        guard let pair else { return [] }
        let options = pytestOptions.map(ProjectWorkloadFolder.shellQuoted).joined(separator: " ")
        return ProjectPair.values.map { pair.paramsText($0, pytestOptions: options) }
    }
}
