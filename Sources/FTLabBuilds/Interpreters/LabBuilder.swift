import Foundation
import FTLabCore
import FTLabInterpreters

extension LabPythons {
    /// What one `ftlab lab pythons` did: the pairs it built or kept, oldest release first (GIL
    /// build first in each), and the release it made the default, if it chose one.
    public struct Outcome: Sendable {
        public var pairs: [[Interpreter]]
        /// Set when no `--version`/`--source` was given: the release now behind `--python lab`.
        public var chosenDefault: LabDefault?
        /// `--fetch-only`: the verified tarballs, one per release.
        public var sources: [String]
    }

    /// Builds (or verifies) the GIL + free-threaded pair of every release `request` names.
    /// A build whose manifest exists and whose interpreter probes as expected is kept unless
    /// `request.force`.
    public static func build(
        _ request: LabBuildRequest, cache: CacheDirectory = CacheDirectory(), reporter: PhaseReporter = PhaseReporter()
    ) async throws(LabError) -> Outcome {
        try await withCacheLock(cache, waiting: { reporter.say("waiting for another ftlab build to finish (\($0))") }) {
            () async throws(LabError) in try await buildLocked(request, cache: cache, reporter: reporter)
        }
    }

    private static func buildLocked(
        _ request: LabBuildRequest, cache: CacheDirectory, reporter: PhaseReporter
    ) async throws(LabError) -> Outcome {
        removeLeftovers(cache: cache, reporter: reporter)
        let finder = SourceFinder(cache: cache, mirror: request.mirror, reporter: reporter)
        let builder = LabBuilder(settings: request.settings, cache: cache, reporter: reporter)
        var outcome = Outcome(pairs: [], chosenDefault: nil, sources: [])
        switch request.releases {
        case .source(let source, let asked):
            let found = try await finder.find(asked ?? "source", sources: [source])
            let version: String
            do throws(LabError) {
                version = try await SourceTarball.version(of: found.tarball)
            } catch {
                try? FileManager.default.removeItem(atPath: found.tarball)
                throw error
            }
            if let asked, asked != version { throw .versionConflict(asked: asked, found: version, file: source.fileName) }
            try LabBuildRequest.checkFreeThreaded(version)
            if request.fetchOnly { outcome.sources = [found.tarball]; return outcome }
            outcome.pairs = [try await builder.pair(version, found: found, force: request.force, selection: "--source \(source.fileName)")]
        case .locked(let spec):
            let lock = try PythonLock.load()
            for candidates in try lock.candidates(matching: spec) {
                var skipped: [(version: String, why: String)] = []
                // A series (`--version 3.14`) falls back to its older locked releases.
                guard let first = try await firstObtainable(
                    candidates, request: request, finder: finder, builder: builder, reporter: reporter,
                    fallBack: candidates.count > 1, skipped: &skipped)
                else {
                    throw .unobtainable(
                        version: candidates.map(\.version).joined(separator: " or "),
                        files: SourceFinder.fileNames(candidates.flatMap(\.sources)),
                        attempts: Self.merged(skipped), mirror: request.mirror)
                }
                let (release, pick) = first
                let found: SourceFinder.Found
                switch pick {
                case .kept(let kept):
                    outcome.pairs.append(kept)
                    continue
                case .found(let tarball):
                    found = tarball
                }
                let verb = request.fetchOnly ? "fetched" : "built"
                let why = (Self.merged(skipped) + ["\(verb) \(release.version) from \(found.via)"]).joined(separator: "; ")
                if !skipped.isEmpty { reporter.say("\(spec): \(why)") }
                if !release.verified {
                    reporter.say("\(release.version): not verified here (this project's CI builds and tests "
                        + "\(lock.verifiedVersions.joined(separator: ", ")) end to end)")
                }
                if request.fetchOnly { outcome.sources.append(found.tarball); continue }
                outcome.pairs.append(try await builder.pair(
                    release.version, found: found, force: request.force, selection: "--version \(spec): \(why)", checked: true))
            }
        case .newestObtainable:
            let lock = try PythonLock.load()
            var skipped: [(version: String, why: String)] = []
            let first = try await firstObtainable(
                lock.releases, request: request, finder: finder, builder: builder, reporter: reporter,
                fallBack: true, skipped: &skipped,
                skip: { $0.verified ? nil : "not verified here (build it with --version X.Y)" })
            switch first {
            case (let release, .kept(let kept))?:
                let reason = (Self.merged(skipped) + ["\(release.version): already built"]).joined(separator: "; ")
                outcome.pairs = [kept]
                outcome.chosenDefault = LabDefault(version: release.version, reason: reason)
            case (let release, .found(let found))?:
                let reason = (Self.merged(skipped) + ["built \(release.version) from \(found.via)"]).joined(separator: "; ")
                if request.fetchOnly {
                    outcome.sources = [found.tarball]
                } else {
                    outcome.pairs = [try await builder.pair(release.version, found: found, force: request.force, selection: reason, checked: true)]
                    outcome.chosenDefault = LabDefault(version: release.version, reason: reason)
                }
            case nil:
                break
            }
            if outcome.pairs.isEmpty && outcome.sources.isEmpty {
                throw .unobtainable(
                    version: "any verified locked release (\(lock.verifiedVersions.joined(separator: ", ")))",
                    files: SourceFinder.fileNames(lock.releases.filter(\.verified).flatMap(\.sources)),
                    attempts: Self.merged(skipped), mirror: request.mirror)
            }
            if let chosen = outcome.chosenDefault {
                do throws(AtomicPlacement.Failure) {
                    try chosen.write(cache: cache)
                } catch {
                    throw .cannotWrite(path: LabDefault.path(cache), reason: error.reason)
                }
            }
        }
        return outcome
    }

    /// What the first usable release of a list came to: its pair already built, or its verified tarball.
    private enum Pick {
        case kept([Interpreter])
        case found(SourceFinder.Found)
    }

    /// The first of `releases` (newest first) whose pair is already built or whose source can be
    /// had, checked; nil when none. A release `skip` gives a reason for is passed over, and so is
    /// one whose source cannot be had when `fallBack` (otherwise that error is thrown); each adds
    /// its line to `skipped`.
    private static func firstObtainable(
        _ releases: [PythonLock.Release], request: LabBuildRequest, finder: SourceFinder, builder: LabBuilder,
        reporter: PhaseReporter, fallBack: Bool, skipped: inout [(version: String, why: String)],
        skip: (PythonLock.Release) -> String? = { _ in nil }
    ) async throws(LabError) -> (PythonLock.Release, Pick)? {
        for release in releases {
            if let why = skip(release) {
                skipped.append((release.version, why))
                continue
            }
            if !request.fetchOnly, !request.force, let kept = await builder.keptPair(release.version) {
                return (release, .kept(kept))
            }
            let found: SourceFinder.Found
            do throws(LabError) {
                found = try await finder.find(release.version, sources: release.sources)
            } catch {
                guard fallBack, case .unobtainable(_, _, let attempts, _) = error else { throw error }
                skipped.append((release.version, attempts.joined(separator: ", ")))
                reporter.say("source: skipping \(release.version): \(attempts.joined(separator: ", "))")
                continue
            }
            try await SourceTarball.check(found.tarball, is: release.version)
            return (release, .found(found))
        }
        return nil
    }

    /// "3.15.0, 3.14.8: why" for releases skipped for the same reason in a row.
    package static func merged(_ skipped: [(version: String, why: String)]) -> [String] {
        var groups: [(versions: [String], why: String)] = []
        for entry in skipped {
            if let last = groups.last, last.why == entry.why {
                groups[groups.count - 1].versions.append(entry.version)
            } else {
                groups.append(([entry.version], entry.why))
            }
        }
        return groups.map { "\($0.versions.joined(separator: ", ")): \($0.why)" }
    }

    /// Removes what a killed or failed build left: everything under `build/`, and prefixes under
    /// `pythons/` without a manifest. Called holding the cache lock, so no live build is touched.
    private static func removeLeftovers(cache: CacheDirectory, reporter: PhaseReporter) {
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
    package static func checkBuildTools() throws(LabError) {
        let tools = ["cc", "make", "tar", "xz", "sha256sum"]
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

/// The steps of one lab build: extract, configure, make, install and probe each interpreter
/// of a pair from one verified tarball, every command's output going to `<cache>/logs`.
package struct LabBuilder {
    package let settings: LabBuildSettings
    package let cache: CacheDirectory
    package let reporter: PhaseReporter

    /// Both builds of `version`, when both are finished and probe as that release and build.
    package func keptPair(_ version: String) async -> [Interpreter]? {
        var pair: [Interpreter] = []
        for target in LabTarget.pair(version) {
            guard let built = await kept(target) else { return nil }
            pair.append(built)
        }
        reporter.say("\(LabTarget.pair(version).map(\.label).joined(separator: ", ")): already built")
        return pair
    }

    /// The finished build of `target` when it probes as that release and build and follows
    /// today's recipe (`LabPythons.staleness`); a stale one is reported and left to be rebuilt.
    private func kept(_ target: LabTarget, sayStale: Bool = true) async -> Interpreter? {
        guard let manifest = LabManifest.read(at: cache.manifestPath(target.label)) else { return nil }
        if let stale = LabPythons.staleness(of: manifest, settings) {
            if sayStale { reporter.say("\(target.label): \(stale)") }
            return nil
        }
        guard let built = try? await LabPythons.interpreter(target, cache: cache),
              built.version == target.version, built.build == target.build else { return nil }
        return built
    }

    /// The pair of `version` from `found`: each build kept when finished (unless `force`), else built.
    /// `checked`: keptPair already looked (and said why a build is stale).
    package func pair(_ version: String, found: SourceFinder.Found, force: Bool, selection: String,
                      checked: Bool = false) async throws(LabError) -> [Interpreter] {
        var pair: [Interpreter] = []
        for target in LabTarget.pair(version) {
            if !force, let built = await kept(target, sayStale: !checked) {
                reporter.say("\(target.label): already built (\(built.path))")
                pair.append(built)
                continue
            }
            try LabPythons.checkBuildTools()
            pair.append(try await build(target, from: found, selection: selection))
        }
        return pair
    }

    /// Builds `target` from `tarball` and puts it at its prefix (replacing what was there). It is
    /// installed under a DESTDIR, probed there, given its manifest, and only then renamed into
    /// place: a prefix is complete with its manifest, or absent.
    package func build(_ target: LabTarget, from found: SourceFinder.Found, selection: String) async throws(LabError) -> Interpreter {
        let tarball = found.tarball
        let log = BuildLog(path: "\(cache.logs)/\(target.label).log")
        let prefix = cache.prefix(target.label)
        let buildDir = cache.buildDir(target), destdir = cache.destdir(target)
        let staged = destdir + prefix
        for directory in [buildDir, destdir] { try? FileManager.default.removeItem(atPath: directory) }
        try? FileManager.default.createDirectory(atPath: buildDir, withIntermediateDirectories: true)
        let flags = ["--prefix=\(prefix)"] + LabPythons.configureFlags(target.build, settings)
        let compiler = await HostCommand("cc", ["--version"]).run()?.standardOutput.split(separator: "\n").first.map(String.init)
        let start = ContinuousClock.now

        try await step(target, "extract", log) {
            await log.run("tar", ["-xf", tarball, "-C", buildDir, "--strip-components=1"])
        }
        try await step(target, "configure", log) { await log.run("\(buildDir)/configure", flags, in: buildDir) }
        try await step(target, "make", log) { await log.run("make", ["-j\(settings.jobs)"], in: buildDir) }
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
            source: found.source.manifestEntry, selection: selection, configureFlags: flags, compiler: compiler ?? "unknown",
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
