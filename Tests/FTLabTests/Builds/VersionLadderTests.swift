import Foundation
import Testing
import FTLabCore
import FTLabInterpreters
import FTLabRunner
import FTLabAnalysis
@testable import FTLabBuilds

/// The lock of pinned sources, `ftlab lab pythons`' request and source rules, and `--python`
/// over several releases.
@Suite("Version ladder")
struct VersionLadderTests {
    static var lockPath: String { TestPaths.repository + "/lab/pythons.toml" }

    @Test func aBuildIsKeptOnlyWhenItFollowsTodaysRecipe() {
        func manifest(_ build: Interpreter.Build, _ flags: [String]) -> LabManifest {
            LabManifest(label: "cpython-3.13.5", version: "3.13.5", build: build, executable: "/p/bin/python3",
                        source: .init(kind: "file", file: "x.tar.xz", sha256: "00"), configureFlags: ["--prefix=/p"] + flags,
                        compiler: "cc", sysVersion: "", missingModules: [], buildSeconds: 1, builtUTC: "")
        }
        let plain = LabBuildSettings(optimizations: false), pgo = LabBuildSettings(optimizations: true)
        #expect(LabPythons.staleness(of: manifest(.gil, ["--without-ensurepip"]), plain) == nil)
        #expect(LabPythons.staleness(of: manifest(.freethreaded, ["--without-ensurepip", "--disable-gil"]), plain) == nil)
        // A PGO build serves a plain request; a plain one does not serve --pgo.
        let optimized = manifest(.gil, ["--without-ensurepip", "--enable-optimizations", "--with-lto"])
        #expect(LabPythons.staleness(of: optimized, plain) == nil)
        #expect(LabPythons.staleness(of: optimized, pgo) == nil)
        #expect(LabPythons.staleness(of: manifest(.gil, ["--without-ensurepip"]), pgo)
            == "built with configure --without-ensurepip, not today's --without-ensurepip --enable-optimizations --with-lto; rebuilding")
        // Builds from before the test modules were kept (lockbench and the PGO profile task need them).
        #expect(LabPythons.staleness(of: manifest(.freethreaded, ["--without-ensurepip", "--disable-test-modules", "--disable-gil"]), plain)
            == "built with configure --without-ensurepip --disable-test-modules --disable-gil, not today's --without-ensurepip --disable-gil; rebuilding")
    }

    @Test func theLockParsesAndEveryEntryHasADigestAndItsRecord() throws {
        let lock = try PythonLock.load(path: Self.lockPath)
        #expect(lock.releases.map(\.version) == ["3.15.0", "3.14.8", "3.14.7", "3.13.5"])
        #expect(lock.verifiedVersions == ["3.13.5", LabPythons.pinnedVersion], "CI builds and tests these end to end")
        for release in lock.releases {
            #expect(!release.sources.isEmpty)
            for source in release.sources { #expect(LabSource.isSHA256(source.sha256), "\(release.version)") }
        }
        let text = try String(contentsOfFile: Self.lockPath, encoding: .utf8)
        #expect(text.components(separatedBy: "digest_from = ").count - 1 == lock.releases.flatMap(\.sources).count,
                "every source names where its digest was found")
        // The release Debian's archive serves is locked, from Debian, and python.org's file agrees.
        let debian = try #require(lock.releases.first { $0.version == "3.13.5" })
        guard case .debian(_, "trixie", _, _) = debian.sources[0] else {
            Issue.record("3.13.5 should come from Debian trixie first"); return
        }
        #expect(Set(debian.sources.map(\.sha256)).count == 1)
    }

    @Test func theVerifiedReleaseAcceptsPythonOrgsFileAndTheRepackedOneByDigest() throws {
        let lock = try PythonLock.load(path: Self.lockPath)
        let release = try #require(lock.releases.first { $0.version == LabPythons.pinnedVersion })
        #expect(release.verified)
        #expect(release.sources.map(\.fileName) == ["Python-3.14.7.tar.xz", "Python-3.14.7.tar.xz"])
        guard case .url(let url, "3b48dac8fb59f62eaa67ac83c1eb12bda1b7a08406dd286e252c11a66be27f81") = release.sources[0],
              case .mirrored(_, "227d55833dec2a0a9ac2adc034e0e524b6e04969d989447530836a67008bfa7b", let provenance) = release.sources[1]
        else { Issue.record("\(release.sources)"); return }
        #expect(url == "https://www.python.org/ftp/python/3.14.7/Python-3.14.7.tar.xz")
        #expect(provenance.contains("3b48dac8fb59f62eaa67ac83c1eb12bda1b7a08406dd286e252c11a66be27f81") && provenance.contains("git archive"))
        // Its manifest entry carries the provenance; a message names both digests of the one file name.
        #expect(release.sources[1].manifestEntry.provenance == provenance)
        #expect(SourceFinder.fileNames(release.sources) == ["Python-3.14.7.tar.xz (sha256 3b48dac8… or 227d5583…)"])
        #expect(try lock.candidates(matching: "3.14").map { $0.map(\.version) } == [["3.14.8", "3.14.7"]])
        #expect(try lock.candidates(matching: "3.14.7").map { $0.map(\.version) } == [["3.14.7"]])
        #expect(lock.releases.filter { !$0.verified }.map(\.version) == ["3.15.0", "3.14.8"])
    }

    @Test func aMirrorOnlySourceNeedsItsProvenance() {
        let sha = String(repeating: "a", count: 64)
        let text = "schema = 1\n[[release]]\nversion = \"3.14.7\"\n[[release.source]]\nfile = \"Python-3.14.7.tar.xz\"\nsha256 = \"\(sha)\"\n"
        let error = #expect(throws: LabError.self) { try PythonLock.parse(text, path: "lock.toml") }
        #expect(error?.description.contains("`file` + `provenance`") == true, "\(String(describing: error))")
        let withProvenance = text + "provenance = \"a copy\"\n"
        #expect((try? PythonLock.parse(withProvenance, path: "lock.toml"))?.releases.first?.sources.first
            == .mirrored(file: "Python-3.14.7.tar.xz", sha256: sha, provenance: "a copy"))
    }

    @Test func versionSpecsSelectReleasesOldestFirst() throws {
        let lock = try PythonLock.load(path: Self.lockPath)
        #expect(try lock.releases(matching: "3.14").map(\.version) == ["3.14.8"])
        #expect(try lock.releases(matching: "3.15,3.13").map(\.version) == ["3.13.5", "3.15.0"])
        #expect(try lock.releases(matching: "all").map(\.version) == ["3.13.5", "3.14.7", "3.14.8", "3.15.0"])
        let error = #expect(throws: LabError.self) { try lock.releases(matching: "3.16") }
        #expect(error == .unknownVersion("3.16", known: ["3.15.0", "3.14.8", "3.14.7", "3.13.5"]))
        #expect(error?.exitCode == 2)
        #expect(error?.description.contains("3.15.0, 3.14.8, 3.14.7, 3.13.5") == true)
    }

    @Test func aBrokenLockIsRefusedWithTheReason() {
        let sha = String(repeating: "a", count: 64)
        let entry = { (version: String) in "[[release]]\nversion = \"\(version)\"\n[[release.source]]\nurl = \"https://x/Python-\(version).tar.xz\"\nsha256 = \"\(sha)\"\n" }
        let cases: [(String, String)] = [
            ("schema = 1\n" + entry("3.13.5") + entry("3.14.8"), "newest first"),
            ("schema = 1\n" + entry("3.14.8") + entry("3.14.8"), "listed twice"),
            ("schema = 2\n" + entry("3.14.8"), "schema 2"),
            ("schema = 1\n" + entry("3.14").replacingOccurrences(of: sha, with: "abc"), "not X.Y.Z"),
            ("schema = 1\n" + entry("3.14.8").replacingOccurrences(of: sha, with: "abc"), "64 hex digits"),
            ("schema = 1\n[[release]]\nversion = \"3.14.8\"\nsource = []\n", "no [[release.source]]"),
        ]
        for (text, reason) in cases {
            let error = #expect(throws: LabError.self) { try PythonLock.parse(text, path: "lock.toml") }
            #expect(error?.description.contains(reason) == true, "\(error?.description ?? "no error") should say \(reason)")
        }
    }

    @Test func requestsAreChecked() async throws {
        let request = try await LabBuildRequest(environment: [:])
        #expect(request.releases == .newestObtainable && request.mirror == nil && request.settings.jobs >= 1)
        #expect(try await LabBuildRequest(version: "3.14,3.15", environment: [:]).releases == .locked("3.14,3.15"))
        await #expect(throws: LabError.badVersion("3.12", reason: "free-threaded builds (--disable-gil) need CPython 3.13 or newer")) {
            try await LabBuildRequest(version: "3.12", environment: [:])
        }
        await #expect(throws: LabError.self) { try await LabBuildRequest(version: "latest", environment: [:]) }
        await #expect(throws: LabError.badChecksum("abc")) {
            try await LabBuildRequest(source: "https://example.org/Python-3.14.0.tar.xz", sha256: "abc", environment: [:])
        }
        await #expect(throws: LabError.incompleteSource("https://example.org/Python-3.14.0.tar.xz")) {
            try await LabBuildRequest(source: "https://example.org/Python-3.14.0.tar.xz", environment: [:])
        }
        await #expect(throws: LabError.noSuchSource("no-such-file.tar.xz")) {
            try await LabBuildRequest(source: "no-such-file.tar.xz", sha256: String(repeating: "a", count: 64), environment: [:])
        }
        await #expect(throws: LabError.badMirror("/no/such/mirror")) {
            try await LabBuildRequest(environment: [SourceFinder.mirrorVariable: "/no/such/mirror"])
        }
        let url = "https://www.python.org/ftp/python/3.14.0/Python-3.14.0.tar.xz"
        let custom = try await LabBuildRequest(source: url, sha256: String(repeating: "A", count: 64), environment: [:])
        #expect(custom.releases == .source(.url(url, sha256: String(repeating: "A", count: 64)), version: nil))
        #expect(LabTarget.pair("3.14.0").map(\.executable) == ["bin/python3.14", "bin/python3.14t"])
    }

    @Test func patchlevelGivesTheRelease() {
        let header = "#define PY_MINOR_VERSION        13\n/* Version as a string */\n#define PY_VERSION              \"3.13.5\"\n"
        #expect(SourceTarball.pyVersion(in: header) == "3.13.5")
        #expect(SourceTarball.pyVersion(in: "#define PY_VERSION_HEX 0x030D05F0\n") == nil)
    }

    @Test func skippedReleasesAreMergedWhenTheReasonRepeats() {
        let lines = LabPythons.merged([("3.15.0", "www.python.org: unreachable"), ("3.14.8", "www.python.org: unreachable"),
                                       ("3.13.9", "no file")])
        #expect(lines == ["3.15.0, 3.14.8: www.python.org: unreachable", "3.13.9: no file"])
    }

    @Test func allocatorScopeFollowsTheRelease() {
        let library = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
        let preload = ["LD_PRELOAD": library]
        #expect(AllocatorScope.effective(environment: preload, build: .freethreaded, version: "3.13.5", library: library) == .raw)
        #expect(AllocatorScope.effective(environment: preload, build: .freethreaded, version: "3.14.8", library: library) == .raw)
        #expect(AllocatorScope.effective(environment: preload, build: .freethreaded, version: "3.15.0", library: library) == .extensions)
        #expect(AllocatorScope.effective(environment: preload, build: .freethreaded, version: "3.16.1", library: library) == .extensions)
        #expect(AllocatorScope.effective(environment: preload.merging(["PYTHONMALLOC": "malloc"]) { $1 },
                                         build: .gil, version: "3.15.0", library: library) == .all)
    }

    @Test func aRunOverSeveralReleasesComparesEachWithinItsRelease() {
        var noise = Noise(seed: 7)
        func pair(_ version: String, gil: Double, ft: Double, ft2: Double) -> [ResultRow] {
            let g = Setup.gil.with { $0.pythonVersion = version; $0.interpreter = "cpython-\(version)" }
            let f = Setup.freeThreaded.with { $0.pythonVersion = version; $0.interpreter = "cpython-\(version)t" }
            return g.rows(throughput: noise.sample(count: 9, mean: gil, cv: 0.001), rssKiB: 20_000)
                + f.rows(throughput: noise.sample(count: 9, mean: ft, cv: 0.001), rssKiB: 22_000)
                + f.with { $0.threads = 2 }.rows(throughput: noise.sample(count: 9, mean: ft2, cv: 0.001), rssKiB: 22_000)
        }
        let summary = ScalingSummary(rows: pair("3.13.5", gil: 100, ft: 70, ft2: 126) + pair("3.14.8", gil: 100, ft: 95, ft2: 190))
        #expect(summary.overheads.map(\.pythonVersion) == ["3.13.5", "3.14.8"], "never one mean over two releases")
        #expect(abs(summary.overheads[0].singleThread - 0.30) < 0.01 && abs(summary.overheads[1].singleThread - 0.05) < 0.01)
        let ladder = try! #require(summary.ladders.first)
        #expect(ladder.steps.map(\.release) == ["3.13.5", "3.14.8"])
        #expect(abs(ladder.steps[0].speedups.last!.speedup - 1.8) < 0.01 && abs(ladder.steps[1].speedups.last!.speedup - 2.0) < 0.01)
        let text = summary.text()
        #expect(text.contains("Across CPython releases") && text.contains("log-processing (CPython 3.14.8)"))
        #expect(text.contains("speedup@2"))
        #expect(ScalingSummary(rows: pair("3.13.5", gil: 100, ft: 70, ft2: 126)).ladders.isEmpty)
    }

    @Test func aPlainAndAPGOPairOfOneReleaseNeverPool() {
        var noise = Noise(seed: 8)
        func pair(_ suffix: String, gil: Double, ft: Double) -> [ResultRow] {
            Setup.gil.with { $0.interpreter = "\(PinnedPair.gil)\(suffix)" }.rows(throughput: noise.sample(count: 9, mean: gil, cv: 0.001))
                + Setup.freeThreaded.with { $0.interpreter = "\(PinnedPair.freeThreaded)\(suffix)" }.rows(throughput: noise.sample(count: 9, mean: ft, cv: 0.001))
                + Setup.freeThreaded.with { $0.interpreter = "\(PinnedPair.freeThreaded)\(suffix)"; $0.threads = 2 }
                    .rows(throughput: noise.sample(count: 9, mean: ft * 1.5, cv: 0.001))
        }
        let summary = ScalingSummary(rows: pair("", gil: 100, ft: 70) + pair("-pgo", gil: 120, ft: 96))
        #expect(summary.overheads.map(\.release) == [PinnedPair.version, "\(PinnedPair.version)-pgo"])
        #expect(abs(summary.overheads[0].singleThread - 0.30) < 0.01 && abs(summary.overheads[1].singleThread - 0.20) < 0.01)
        #expect(summary.ladders.first?.steps.map(\.release) == [PinnedPair.version, "\(PinnedPair.version)-pgo"])
        #expect(summary.text().contains("log-processing (CPython \(PinnedPair.version)-pgo): single-thread overhead 20.0%"), "\(summary.text())")
    }
}

/// `--python` values that name releases: resolved from what the cache holds.
@Suite("Version ladder: selecting interpreters", .tags(.integration, .needsLab), .skippedInUnitRuns)
struct LadderSelectionTests {
    @Test func seriesLadderAndLabSelectBuiltPairs() async throws {
        let series = PinnedPair.version.split(separator: ".").prefix(2).joined(separator: ".")
        let bySeries = try await InterpreterResolver.resolve(series)
        #expect(bySeries.map(\.label) == PinnedPair.labels)
        #expect(try await InterpreterResolver.resolve(PinnedPair.version).map(\.label) == PinnedPair.labels)
        let ladder = try await InterpreterResolver.resolve("ladder")
        #expect(ladder.count % 2 == 0 && ladder.count >= 2)
        #expect(Set(ladder.map(\.build)) == [.gil, .freethreaded])
        #expect(try await InterpreterResolver.resolve("lab").map(\.label) == PinnedPair.labels)
        let missing = await #expect(throws: InterpreterError.self) { try await InterpreterResolver.resolve("3.99") }
        #expect(missing?.description.contains("ftlab lab pythons --version 3.99") == true)
        #expect(missing?.exitCode == 2)
    }
}

/// `ftlab lab pythons` against real sources, with no network beyond this machine: every origin
/// is made unreachable through a proxy that refuses connections, so the test means the same on
/// a machine that does reach python.org. Needs the cached 3.13.5 tarball (`ftlab lab pythons`).
@Suite("Version ladder: sources", .tags(.integration, .needsLab), .skippedInUnitRuns)
struct LadderSourceTests {
    /// No origin answers, and no mirror folder is inherited (`make test` exports one).
    static let offline = ["http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
                          "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
                          SourceFinder.mirrorVariable: ""]

    /// The real 3.13.5 tarball (Debian's), from the lab cache.
    static func pinnedTarball() throws -> String {
        let lock = try PythonLock.load(path: VersionLadderTests.lockPath)
        let release = try #require(lock.releases.first { $0.version == "3.13.5" })
        let path = "\(CacheDirectory().sources)/\(release.sources[0].fileName)"
        try #require(FileManager.default.fileExists(atPath: path), "no \(path): run `ftlab lab pythons` first")
        return path
    }

    func lab(_ arguments: [String], cache: String, extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ftlab(["lab", "pythons"] + arguments, environment: Self.offline.merging(["FTLAB_CACHE": cache]) { $1 }.merging(extra) { $1 })
    }

    @Test func aRenamedCopyOfTheLockedTarballIsAcceptedByItsDigest() throws {
        let scratch = TestPaths.scratch("renamed")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let renamed = "\(scratch)/my-cpython-source.tar.xz"
        try FileManager.default.copyItem(atPath: try Self.pinnedTarball(), toPath: renamed)
        let result = try lab(["--source", renamed, "--fetch-only"], cache: "\(scratch)/cache")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(scratch)/cache/sources/my-cpython-source.tar.xz")
        let asked = try lab(["--source", renamed, "--version", "3.14.8", "--fetch-only"], cache: "\(scratch)/cache")
        #expect(asked.status == 2 && asked.stderr.contains("--version 3.14.8 but my-cpython-source.tar.xz is the source of CPython 3.13.5"),
                "\(asked.stderr)")
    }

    @Test func aWrongDigestIsRefusedAndTheFileKeptAside() throws {
        let scratch = TestPaths.scratch("wrongdigest")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let wrong = String(repeating: "0", count: 64)
        let result = try lab(["--source", try Self.pinnedTarball(), "--sha256", wrong, "--fetch-only"], cache: "\(scratch)/cache")
        #expect(result.status == 2)
        #expect(result.stderr.contains("sha256 mismatch") && result.stderr.contains("kept aside at \(scratch)/cache/sources/rejected/"),
                "\(result.stderr)")
        let rejected = try FileManager.default.contentsOfDirectory(atPath: "\(scratch)/cache/sources/rejected")
        #expect(rejected.count == 1)
        #expect(!FileManager.default.fileExists(atPath: "\(scratch)/cache/sources/\((try Self.pinnedTarball() as NSString).lastPathComponent)"))
    }

    @Test func anUnreachableOriginGivesTheWaysOut() throws {
        let scratch = TestPaths.scratch("unreachable")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let result = try lab(["--version", "3.15"], cache: "\(scratch)/cache")
        #expect(result.status == 2)
        for part in ["cannot get the source of CPython 3.15.0", "www.python.org", "Python-3.15.0.tar.xz", "--source-dir DIR",
                     SourceFinder.mirrorVariable, "--source FILE|URL --sha256 HEX"] {
            #expect(result.stderr.contains(part), "missing \(part) in \(result.stderr)")
        }
        let unknown = try lab(["--version", "3.9"], cache: "\(scratch)/cache")
        #expect(unknown.status == 2 && unknown.stderr.contains("need CPython 3.13 or newer"))
        let notLocked = try lab(["--version", "3.16"], cache: "\(scratch)/cache")
        #expect(notLocked.status == 2 && notLocked.stderr.contains("locked releases: 3.15.0, 3.14.8, 3.14.7, 3.13.5"))
    }

    @Test func theMirrorFolderServesByFileNameAndIsCheckedToo() throws {
        let scratch = TestPaths.scratch("mirror")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let mirror = "\(scratch)/mirror"
        try FileManager.default.createDirectory(atPath: mirror, withIntermediateDirectories: true)
        // python.org's name for the same file: the lock's second 3.13.5 source.
        try FileManager.default.copyItem(atPath: try Self.pinnedTarball(), toPath: "\(mirror)/Python-3.13.5.tar.xz")
        try "not a tarball\n".write(toFile: "\(mirror)/Python-3.14.8.tar.xz", atomically: true, encoding: .utf8)
        let served = try lab(["--version", "3.13.5", "--fetch-only"], cache: "\(scratch)/cache",
                             extra: [SourceFinder.mirrorVariable: mirror])
        #expect(served.status == 0, "\(served.stderr)")
        #expect(served.stdout.contains("\(scratch)/cache/sources/Python-3.13.5.tar.xz"))
        let bad = try lab(["--version", "3.14", "--source-dir", mirror], cache: "\(scratch)/cache")
        #expect(bad.status == 2 && bad.stderr.contains("sha256 mismatch for \(mirror)/Python-3.14.8.tar.xz"), "\(bad.stderr)")
    }

    @Test func aTarballThatIsNotCPythonIsRefusedByName() throws {
        let scratch = TestPaths.scratch("notcpython")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: "\(scratch)/tree/project", withIntermediateDirectories: true)
        try "hello\n".write(toFile: "\(scratch)/tree/project/README", atomically: true, encoding: .utf8)
        let tarball = "\(scratch)/project-1.0.tar.gz"
        #expect(try runProgram("/usr/bin/tar", ["-czf", tarball, "-C", "\(scratch)/tree", "project"]).status == 0)
        let digest = String(try runProgram("/usr/bin/sha256sum", [tarball]).stdout.prefix(64))
        let result = try lab(["--source", tarball, "--sha256", digest], cache: "\(scratch)/cache")
        #expect(result.status == 2)
        #expect(result.stderr.contains("project-1.0.tar.gz is not a CPython source tarball: it has no <top>/Include/patchlevel.h"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(scratch)/cache/sources/project-1.0.tar.gz"), "a refused tarball is not cached")
    }

    @Test func withoutVersionTheNewestObtainableReleaseBecomesTheDefaultAndSaysWhy() throws {
        let scratch = TestPaths.scratch("default")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let cache = CacheDirectory(root: "\(scratch)/cache")
        try FileManager.default.createDirectory(atPath: cache.pythons, withIntermediateDirectories: true)
        for label in PinnedPair.labels {
            try FileManager.default.createSymbolicLink(atPath: cache.prefix(label), withDestinationPath: CacheDirectory().prefix(label))
        }
        let result = try lab([], cache: cache.root)
        #expect(result.status == 0, "\(result.stderr)")
        let chosen = try #require(LabDefault.read(cache: cache))
        #expect(chosen.version == LabPythons.pinnedVersion)
        #expect(chosen.reason == "3.15.0, 3.14.8: not verified here (build it with --version X.Y); \(LabPythons.pinnedVersion): already built",
                "\(chosen.reason)")
        let status = try ftlab(["lab", "status"], environment: ["FTLAB_CACHE": cache.root])
        #expect(status.stdout.contains("default pair (--python lab): \(LabPythons.pinnedVersion): 3.15.0, 3.14.8: not verified here"))
    }

    /// The verified release's repacked tarball (a mirror folder's file), from the lab cache.
    static func repackedTarball() throws -> String {
        let path = "\(CacheDirectory().sources)/Python-\(LabPythons.pinnedVersion).tar.xz"
        try #require(FileManager.default.fileExists(atPath: path), "no \(path): run `ftlab lab pythons --source-dir DIR` first")
        return path
    }

    @Test func aSeriesTakesItsNewestObtainableReleaseFromTheLockAndSaysWhy() throws {
        let scratch = TestPaths.scratch("series")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let mirror = "\(scratch)/mirror"
        try FileManager.default.createDirectory(atPath: mirror, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Self.repackedTarball(), toPath: "\(mirror)/Python-\(LabPythons.pinnedVersion).tar.xz")
        let served = try lab(["--version", "3.14", "--source-dir", mirror, "--fetch-only"], cache: "\(scratch)/cache")
        #expect(served.status == 0, "\(served.stderr)")
        #expect(served.stdout.contains("\(scratch)/cache/sources/Python-\(LabPythons.pinnedVersion).tar.xz"))
        #expect(served.stderr.contains("3.14: 3.14.8: www.python.org") && served.stderr.contains("fetched 3.14.7 from mirror folder \(mirror)"),
                "\(served.stderr)")
        // Neither python.org nor a mirror: exit 2 naming both ways and both digests of the one file name.
        let neither = try lab(["--version", "3.14"], cache: "\(scratch)/empty")
        #expect(neither.status == 2)
        for part in ["cannot get the source of CPython 3.14.8 or 3.14.7", "www.python.org", "--source-dir DIR",
                     "Python-3.14.7.tar.xz (sha256 3b48dac8… or 227d5583…)"] {
            #expect(neither.stderr.contains(part), "missing \(part) in \(neither.stderr)")
        }
        // Another file under the official name is refused by its digest.
        let other = "\(scratch)/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Self.pinnedTarball(), toPath: "\(other)/Python-\(LabPythons.pinnedVersion).tar.xz")
        let refused = try lab(["--version", LabPythons.pinnedVersion, "--source-dir", other, "--fetch-only"], cache: "\(scratch)/cache2")
        #expect(refused.status == 2 && refused.stderr.contains("sha256 mismatch")
                && refused.stderr.contains("3b48dac8fb59f62eaa67ac83c1eb12bda1b7a08406dd286e252c11a66be27f81 or 227d5583"), "\(refused.stderr)")
    }
}
