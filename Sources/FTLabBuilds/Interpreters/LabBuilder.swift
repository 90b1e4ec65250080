import Foundation
import FTLabCore
import FTLabRunner

extension LabPythons {
    /// Builds (or verifies) the GIL + free-threaded pair of `options.version` and returns both, GIL first.
    /// A build whose manifest exists and whose interpreter probes as expected is kept unless `options.force`.
    public static func build(
        _ options: LabBuildOptions, cache: LabCache = LabCache(), reporter: PhaseReporter = PhaseReporter()
    ) async throws(LabError) -> [Interpreter] {
        try await withCacheLock(cache, waiting: { reporter.say("waiting for another ftlab build to finish (\($0))") }) {
            () async throws(LabError) in try await buildLocked(options, cache: cache, reporter: reporter)
        }
    }

    private static func buildLocked(
        _ options: LabBuildOptions, cache: LabCache, reporter: PhaseReporter
    ) async throws(LabError) -> [Interpreter] {
        removeLeftovers(cache: cache, reporter: reporter)
        let targets = LabTarget.pair(options.version)
        var kept: [LabTarget: Interpreter] = [:]
        for target in targets where !options.force {
            if let built = try? await interpreter(target, cache: cache),
                built.version == target.version, built.build == target.build
            {
                kept[target] = built
                reporter.say("\(target.label): already built (\(built.path))")
            }
        }
        if kept.count == targets.count { return targets.compactMap { kept[$0] } }

        try checkTools(for: options.source)
        let builder = LabBuilder(options: options, cache: cache, reporter: reporter)
        let tarball = try await builder.fetchSource()
        var built: [Interpreter] = []
        for target in targets {
            if let existing = kept[target] {
                built.append(existing)
            } else {
                built.append(try await builder.build(target, from: tarball))
            }
        }
        return built
    }

    /// Removes what a killed or failed build left: everything under `build/`, and prefixes under
    /// `pythons/` without a manifest. Called holding the cache lock, so no live build is touched.
    private static func removeLeftovers(cache: LabCache, reporter: PhaseReporter) {
        let fm = FileManager.default
        let unfinished = ((try? fm.contentsOfDirectory(atPath: cache.pythons)) ?? [])
            .filter { LabTarget(label: $0) != nil && !fm.fileExists(atPath: cache.manifestPath($0)) }
            .map(cache.prefix)
        let work = ((try? fm.contentsOfDirectory(atPath: cache.work)) ?? []).map { "\(cache.work)/\($0)" }
        for path in (unfinished + work).sorted() {
            reporter.say("removing what an unfinished build left: \(path)")
            try? fm.removeItem(atPath: path)
        }
    }

    /// Refuses to start when a tool the build needs is not on PATH.
    package static func checkTools(for source: LabSource) throws(LabError) {
        let tools = ["cc", "make", "tar", "xz", "sha256sum"] + source.fetchTools
        let missing = tools.filter { findOnPath($0) == nil }
        if !missing.isEmpty { throw .missingTools(missing) }
    }

    /// `lab/apt/<suite>-src.list` in the checkout ftlab runs from (looked for above the current
    /// directory and above the executable).
    package static func aptSourcesList(suite: String) throws(LabError) -> String {
        let file = "lab/apt/\(suite)-src.list"
        guard let path = CheckoutFile.locate(file) else {
            throw .aptSourcesNotFound(file: file, searched: CheckoutFile.searchStarts)
        }
        return path
    }
}

/// The steps of one lab build: fetch and verify the source once, then extract, configure,
/// make, install and probe each interpreter, every command's output going to `<cache>/logs`.
package struct LabBuilder {
    package let options: LabBuildOptions
    package let cache: LabCache
    package let reporter: PhaseReporter

    /// The verified source tarball: the cached one when its sha256 matches, else a fresh download
    /// (a cached file that does not match, such as one cut off by an older ftlab, is replaced).
    package func fetchSource() async throws(LabError) -> String {
        let source = options.source
        let cached = "\(cache.sources)/\(source.fileName)"
        if FileManager.default.fileExists(atPath: cached) {
            do throws(LabError) {
                try await reporter.phase("source", "verify") { () async throws(LabError) in
                    try await LabSource.verify(cached, sha256: source.sha256)
                }
                return cached
            } catch {
                reporter.say("source: \(cached) does not match its sha256; downloading it again")
                try? FileManager.default.removeItem(atPath: cached)
            }
        }
        let log = BuildLog(path: "\(cache.logs)/download.log")
        return try await reporter.phase("source", "download") { () async throws(LabError) in
            try await source.fetch(into: cache, log: log)
        }
    }

    /// Builds `target` from `tarball` and puts it at its prefix (replacing what was there). It is
    /// installed under a DESTDIR, probed there, given its manifest, and only then renamed into
    /// place: a prefix is complete with its manifest, or absent.
    package func build(_ target: LabTarget, from tarball: String) async throws(LabError) -> Interpreter {
        let log = BuildLog(path: "\(cache.logs)/\(target.label).log")
        let prefix = cache.prefix(target.label)
        let buildDir = cache.buildDir(target), destdir = cache.destdir(target)
        let staged = destdir + prefix
        for directory in [buildDir, destdir] { try? FileManager.default.removeItem(atPath: directory) }
        try? FileManager.default.createDirectory(atPath: buildDir, withIntermediateDirectories: true)
        let flags = ["--prefix=\(prefix)"] + LabPythons.configureFlags
            + (options.optimizations ? LabPythons.optimizationFlags : [])
            + (target.build == .freethreaded ? ["--disable-gil"] : [])
        let compiler = await HostCommand("cc", ["--version"]).run()?.standardOutput.split(separator: "\n").first.map(String.init)
        let start = ContinuousClock.now

        try await step(target, "extract", log) {
            await log.run("tar", ["-xf", tarball, "-C", buildDir, "--strip-components=1"])
        }
        try await step(target, "configure", log) { await log.run("\(buildDir)/configure", flags, in: buildDir) }
        try await step(target, "make", log) { await log.run("make", ["-j\(options.jobs)"], in: buildDir) }
        try await step(target, "install", log) { await log.run("make", ["install", "DESTDIR=\(destdir)"], in: buildDir) }
        let elapsed = Int(MonotonicClock.seconds(since: start))

        let interpreter = try await reporter.phase(target.label, "probe") { () async throws(LabError) in
            try await probe(target, "\(staged)/\(target.executable)", log: log)
        }
        let missing = await missingModules(interpreter.path)
        if !missing.isEmpty {
            reporter.say("\(target.label): warning: built without \(missing.map(\.module).joined(separator: ", "));"
                + " install \(Set(missing.map(\.package)).sorted().joined(separator: " ")) and rebuild with --force")
        }
        let manifest = LabManifest(
            label: target.label, version: target.version, build: target.build,
            executable: InterpreterProbe.absolute(cache.executable(target)),
            source: options.source.manifestEntry, configureFlags: flags, compiler: compiler ?? "unknown",
            sysVersion: interpreter.sysVersion, missingModules: missing.map(\.module), buildSeconds: Double(elapsed),
            builtUTC: ISO8601DateFormatter().string(from: Date()))
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.write(Data((manifest.json() + "\n").utf8), to: "\(staged)/\(LabManifest.fileName)")
            try? FileManager.default.createDirectory(atPath: cache.pythons, withIntermediateDirectories: true)
            try AtomicPlacement.move(staged, to: prefix, aside: cache.replacedPrefix(target))
        } catch {
            throw .cannotWrite(path: prefix, reason: error.reason)
        }
        for directory in [buildDir, destdir] { try? FileManager.default.removeItem(atPath: directory) }
        var result = try await probe(target, cache.executable(target), log: log)
        result.sourceSHA256 = manifest.source.sha256
        return result
    }

    private func step(
        _ target: LabTarget, _ phase: String, _ log: BuildLog, _ action: () async -> Bool
    ) async throws(LabError) {
        try await reporter.phase(target.label, phase) { () async throws(LabError) in
            guard await action() else {
                throw .phaseFailed(label: target.label, phase: phase, log: log.path, tail: log.tail())
            }
        }
    }

    /// Probes `executable` and refuses anything but the CPython version and build of `target`.
    private func probe(_ target: LabTarget, _ executable: String, log: BuildLog) async throws(LabError) -> Interpreter {
        let interpreter: Interpreter
        do {
            interpreter = try await InterpreterProbe.probe(executable, label: target.label)
        } catch {
            log.write("probe: \(error)")
            throw .phaseFailed(label: target.label, phase: "probe", log: log.path, tail: "\(error)")
        }
        guard interpreter.version == target.version, interpreter.build == target.build else {
            throw .probeMismatch(
                label: target.label, expected: "CPython \(target.version) (\(target.build))",
                found: "CPython \(interpreter.version) (\(interpreter.build))")
        }
        return interpreter
    }

    /// Optional stdlib extension modules and the -dev package each one needs.
    package static let optionalModules = [
        ("_ssl", "libssl-dev"), ("_ctypes", "libffi-dev"), ("zlib", "zlib1g-dev"), ("_bz2", "libbz2-dev"),
        ("_lzma", "liblzma-dev"), ("_sqlite3", "libsqlite3-dev"), ("readline", "libreadline-dev"),
        ("_curses", "libncurses-dev"), ("_uuid", "uuid-dev"), ("_gdbm", "libgdbm-dev"),
    ]

    /// The optional modules `python` cannot import, with the package that would provide them.
    private func missingModules(_ python: String) async -> [(module: String, package: String)] {
        let names = Self.optionalModules.map { "'\($0.0)'" }.joined(separator: ",")
        let script = "import importlib.util as u; print(' '.join(m for m in [\(names)] if u.find_spec(m) is None))"
        let output = await HostCommand(python, ["-I", "-c", script]).run()?.standardOutput ?? ""
        let missing = Set(output.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        return Self.optionalModules.filter { missing.contains($0.0) }.map { (module: $0.0, package: $0.1) }
    }
}
