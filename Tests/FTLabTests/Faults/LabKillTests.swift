import Foundation
import Testing
import FTLabCore
import FTLabInterpreters
import FTLabRunner
import FTLabBuilds

#if canImport(Glibc)
import Glibc
#endif

/// Writes an executable shell script.
private func script(_ text: String, at path: String) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
}

/// A stand-in CPython 3.13.5 source tarball, built in seconds. `configure` records the prefix
/// and `--disable-gil`; `make install` copies a shell script that answers ftlab's probe to
/// `$(DESTDIR)<prefix>/bin/python3.13[t]`, then touches `$FAKE_INSTALL_MARK` and sleeps
/// `$FAKE_INSTALL_SLEEP` seconds before it finishes.
struct FakeCPythonSource {
    let tarball: String
    let sha256: String

    init() throws {
        let root = TestPaths.scratch("fakecpython")
        let source = "\(root)/Python-3.13.5"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try script("""
            #!/bin/sh
            prefix= t=
            for a in "$@"; do case "$a" in --prefix=*) prefix="${a#--prefix=}";; --disable-gil) t=t;; esac; done
            printf 'PREFIX=%s\\nEXE=python3.13%s\\n' "$prefix" "$t" > config.mk
            if [ -n "$t" ]; then disabled=true enabled=false; else disabled=false enabled=true; fi
            sed -e "s/@DISABLED@/$disabled/" -e "s/@ENABLED@/$enabled/" python.in > python
            """, at: "\(source)/configure")
        try #"""
            #!/bin/sh
            echo '{"version": [3, 13, 5], "implementation": "cpython", "gil_disabled": @DISABLED@, "gil_enabled": @ENABLED@, "sys_version": "3.13.5 (fake)", "config_args": "", "compiler": "GCC"}'
            """#.write(toFile: "\(source)/python.in", atomically: true, encoding: .utf8)
        let recipe = [
            "include config.mk", "all:", "\t@echo built", "install:",
            "\tmkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib",
            "\tcp python $(DESTDIR)$(PREFIX)/bin/$(EXE) && chmod 755 $(DESTDIR)$(PREFIX)/bin/$(EXE)",
            "\tif [ -n \"$$FAKE_INSTALL_MARK\" ]; then touch \"$$FAKE_INSTALL_MARK\"; fi",
            "\tsleep $${FAKE_INSTALL_SLEEP:-0}",
            "\techo complete > $(DESTDIR)$(PREFIX)/lib/installed",
        ]
        try (recipe.joined(separator: "\n") + "\n").write(toFile: "\(source)/Makefile", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(source)/Include", withIntermediateDirectories: true)
        try "#define PY_VERSION \"3.13.5\"\n".write(toFile: "\(source)/Include/patchlevel.h", atomically: true, encoding: .utf8)
        tarball = "\(root)/Python-3.13.5.tar.gz"
        let tar = try runProgram("/usr/bin/tar", ["-czf", tarball, "-C", root, "Python-3.13.5"])
        precondition(tar.status == 0, tar.stderr)
        sha256 = String(try runProgram("/usr/bin/sha256sum", [tarball]).stdout.prefix(64))
    }

    /// `ftlab lab pythons` arguments that build from this tarball.
    func arguments(sha256: String? = nil) -> [String] {
        ["lab", "pythons", "--source", tarball, "--sha256", sha256 ?? self.sha256, "--jobs", "1"]
    }
}

/// An `ftlab` started as the leader of its own process group, output to a file, so a test can
/// SIGKILL it together with everything it started.
struct KillableFTLab {
    let pid: pid_t
    let output: String

    init(_ arguments: [String], environment: [String: String]) throws {
        output = TestPaths.scratch("killable") + "/output"
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let argv = ([TestPaths.ftlab] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0)=\($1)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, TestPaths.ftlab, &actions, &attributes, argv, envp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        self.pid = pid
    }

    /// Waits up to `seconds` for `file` to appear; false when it did not (or ftlab ended first).
    func waitFor(_ file: String, seconds: Int = 120) async throws -> Bool {
        for _ in 0..<(seconds * 20) {
            if FileManager.default.fileExists(atPath: file) { return true }
            if waitpid(pid, nil, WNOHANG) == pid { return false }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// SIGKILL to the whole group (ftlab, make, the shell, sleep), then reaps ftlab.
    func killGroup() {
        kill(-pid, SIGKILL)
        _ = waitpid(pid, nil, 0)
    }

    var text: String { (try? String(contentsOfFile: output, encoding: .utf8)) ?? "" }
}

private let buildTools = ["cc", "make", "tar", "xz", "sha256sum", "curl"].allSatisfy { findOnPath($0) != nil }

@Suite("kill -9 during lab builds: the next call redoes the cut-off part, nothing half-built is used",
       .tags(.integration), .skippedInUnitRuns, .serialized)
struct LabKillTests {
    let gil = LabTarget(version: "3.13.5", build: .gil)
    let freethreaded = LabTarget(version: "3.13.5", build: .freethreaded)

    @Test("kill -9 of `ftlab lab pythons` mid-install leaves no prefix; the next call rebuilds both",
          .enabled(if: buildTools, "needs cc, make, tar, xz, sha256sum and curl"))
    func killedInstall() async throws {
        let source = try FakeCPythonSource()
        let cache = CacheDirectory(root: TestPaths.scratch("killcache"))
        let mark = cache.root + "/installing"
        let fm = FileManager.default

        let killed = try KillableFTLab(source.arguments(), environment: [
            "FTLAB_CACHE": cache.root, "FAKE_INSTALL_MARK": mark, "FAKE_INSTALL_SLEEP": "600"])
        defer { kill(-killed.pid, SIGKILL) }
        let reached = try await killed.waitFor(mark)
        killed.killGroup()
        try #require(reached, "ftlab never reached make install: \(killed.text)")

        // The interpreter was installed (under DESTDIR), but nothing at the prefix looks finished.
        let staged = cache.destdir(gil) + cache.executable(gil)
        #expect(fm.isExecutableFile(atPath: staged))
        #expect(!fm.fileExists(atPath: cache.prefix(gil.label)))
        #expect(LabPythons.builds(cache: cache).isEmpty)
        await #expect(throws: InterpreterError.notBuilt(label: gil.label, executable: cache.executable(gil))) {
            try await InterpreterResolver.resolve(gil.label, cache: cache)
        }
        await #expect {
            try await InterpreterResolver.resolve(staged, cache: cache)
        } throws: { error in
            guard case InterpreterError.unfinishedBuild(let path, _) = error else { return false }
            return path == staged
        }

        // A prefix with an interpreter but no manifest, as an older ftlab left after such a kill.
        let leftover = cache.executable(freethreaded)
        try fm.createDirectory(atPath: (leftover as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try fm.copyItem(atPath: staged, toPath: leftover)
        await #expect {
            try await InterpreterResolver.resolve(leftover, cache: cache)
        } throws: { error in
            guard case InterpreterError.unfinishedBuild(_, let folder) = error else { return false }
            return folder.hasSuffix("/pythons/\(freethreaded.label)")
        }
        let status = try ftlab(["lab", "status"], environment: ["FTLAB_CACHE": cache.root])
        // Neither build is listed as built (a built one is listed with its executable's path).
        #expect(!status.stdout.contains("\(gil.label): /") && !status.stdout.contains("\(freethreaded.label): /"), "\(status.stdout)")

        let again = try ftlab(source.arguments(), environment: ["FTLAB_CACHE": cache.root])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stderr.contains("removing what an unfinished build left: \(cache.destdir(gil))"), "\(again.stderr)")
        #expect(again.stderr.contains("removing what an unfinished build left: \(cache.prefix(freethreaded.label))"))
        let pair = try await InterpreterResolver.resolve("lab", cache: cache)
        #expect(pair.map(\.build) == [.gil, .freethreaded])
        #expect(pair.map(\.path) == [cache.executable(gil), cache.executable(freethreaded)])
        #expect(pair.allSatisfy { $0.sourceSHA256 == source.sha256 })
        #expect(LabPythons.builds(cache: cache).map(\.label) == [gil.label, freethreaded.label])
        for target in [gil, freethreaded] {
            #expect(fm.fileExists(atPath: cache.prefix(target.label) + "/lib/installed"), "the whole install is in place")
        }
        #expect(((try? fm.contentsOfDirectory(atPath: cache.work)) ?? []).isEmpty, "no work folders left")

        // A third call keeps both builds.
        let kept = try ftlab(source.arguments(), environment: ["FTLAB_CACHE": cache.root])
        #expect(kept.status == 0)
        #expect(kept.stderr.contains("\(freethreaded.label): already built"), "\(kept.stderr)")
    }

    @Test("a cached source that fails its sha256 is fetched again; a download that fails it is set aside, never used",
          .enabled(if: buildTools, "needs cc, make, tar, xz, sha256sum and curl"))
    func damagedSource() async throws {
        let source = try FakeCPythonSource()
        let cache = CacheDirectory(root: TestPaths.scratch("sourcecache"))
        let cached = "\(cache.sources)/Python-3.13.5.tar.gz"
        let fm = FileManager.default

        let wrong = try ftlab(source.arguments(sha256: String(repeating: "0", count: 64)),
                              environment: ["FTLAB_CACHE": cache.root])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("sha256 mismatch"), "\(wrong.stderr)")
        #expect(!fm.fileExists(atPath: cached), "a mismatching download stays out of the cache")
        #expect(((try? fm.contentsOfDirectory(atPath: cache.sources)) ?? []) == ["rejected"], "it is kept aside, never used")
        #expect(wrong.stderr.contains("kept aside at \(cache.sources)/rejected/"), "\(wrong.stderr)")

        // A cut-off download under the final name, as an older ftlab or apt-get could leave.
        try fm.createDirectory(atPath: cache.sources, withIntermediateDirectories: true)
        let whole = try Data(contentsOf: URL(fileURLWithPath: source.tarball))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cached))
        let again = try ftlab(source.arguments(), environment: ["FTLAB_CACHE": cache.root])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stderr.contains("\(cached) does not match its sha256; setting it aside"), "\(again.stderr)")
        #expect(await LabSource.sha256(of: cached) == source.sha256)
        #expect(LabPythons.builds(cache: cache).count == 2)
    }

    @Test("kill -9 of `ftlab lab rootfs` mid-tarball and mid-assembly: `lab run` refuses, the next call finishes",
          .enabled(if: findOnPath("sha256sum") != nil && findOnPath("tar") != nil, "needs tar and sha256sum"))
    func killedRootfs() async throws {
        let cache = CacheDirectory(root: TestPaths.scratch("rootfscache"))
        let rootfs = ContainerRootfs(cache: cache)
        let tools = TestPaths.scratch("faketools")
        // mmdebstrap: a tiny tarball (holding the pair's source, so no download is needed).
        try script("""
            #!/bin/sh
            out=
            for a in "$@"; do case "$a" in *.part) out="$a";; esac; done
            echo partial > "$out"
            if [ -n "$FAKE_MMDEBSTRAP_MARK" ]; then touch "$FAKE_MMDEBSTRAP_MARK"; fi
            sleep "${FAKE_MMDEBSTRAP_SLEEP:-0}"
            dir=$(mktemp -d)
            mkdir -p "$dir/etc" "$dir/usr/bin" "$dir/opt/ftlab/cache/sources"
            echo source > "$dir/opt/ftlab/cache/sources/\(PinnedPair.sourceFileName)"
            tar -cf "$out" -C "$dir" .
            rm -rf "$dir"
            """, at: "\(tools)/mmdebstrap")
        // bwrap: runs nothing; the pair build inside can be made to sleep.
        try script("""
            #!/bin/sh
            case "$*" in *"lab pythons"*)
                if [ -n "$FAKE_PAIR_MARK" ]; then touch "$FAKE_PAIR_MARK"; fi
                sleep "${FAKE_PAIR_SLEEP:-0}";;
            esac
            exit 0
            """, at: "\(tools)/bwrap")
        try script("#!/bin/sh\nexit 0\n", at: "\(tools)/tiny-ftlab")
        let path = "\(tools):\(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")"
        let environment = ["FTLAB_CACHE": cache.root, "PATH": path]
        let build = ["lab", "rootfs", "--ftlab", "\(tools)/tiny-ftlab"]
        let labRun = ["lab", "run", "--results", TestPaths.scratch("labresults"), "--", "true"]
        let fm = FileManager.default

        // Cut off while the tarball is being written.
        let tarballMark = cache.root + "/mmdebstrap"
        let first = try KillableFTLab(build, environment: environment.merging(
            ["FAKE_MMDEBSTRAP_MARK": tarballMark, "FAKE_MMDEBSTRAP_SLEEP": "600"]) { $1 })
        defer { kill(-first.pid, SIGKILL) }
        let inMmdebstrap = try await first.waitFor(tarballMark)
        first.killGroup()
        try #require(inMmdebstrap, "ftlab never started mmdebstrap: \(first.text)")
        #expect(fm.fileExists(atPath: rootfs.tarball + ".part"))
        for file in [rootfs.tarball, rootfs.checksumFile, rootfs.recipeFile] { #expect(!fm.fileExists(atPath: file)) }
        let refusedNoTarball = try ftlab(labRun, environment: environment)
        #expect(refusedNoTarball.status == 2)
        #expect(refusedNoTarball.stderr.contains("no lab rootfs at"), "\(refusedNoTarball.stderr)")

        // Cut off while the pair builds inside: the tarball is finished, the lab is not.
        let pairMark = cache.root + "/pair"
        let second = try KillableFTLab(build, environment: environment.merging(
            ["FAKE_PAIR_MARK": pairMark, "FAKE_PAIR_SLEEP": "600"]) { $1 })
        defer { kill(-second.pid, SIGKILL) }
        let inPair = try await second.waitFor(pairMark)
        second.killGroup()
        try #require(inPair, "ftlab never reached the pair build: \(second.text)")
        let id = try await rootfs.verifiedSHA256()
        #expect(!fm.fileExists(atPath: rootfs.tarball + ".part"), "the cut-off tarball was removed")
        #expect(rootfs.unpackedID() == id)
        #expect(rootfs.treeID() == nil, "a lab whose assembly was cut off has no id")
        let refusedUnassembled = try ftlab(labRun, environment: environment)
        #expect(refusedUnassembled.status == 2)
        #expect(refusedUnassembled.stderr.contains("was not fully assembled"), "\(refusedUnassembled.stderr)")

        // The next call keeps the tarball and the unpacked tree, and finishes the lab.
        let third = try ftlab(build, environment: environment)
        #expect(third.status == 0, "\(third.stdout)\(third.stderr)")
        #expect(third.stderr.contains("rootfs: already built (sha256 \(id))"), "\(third.stderr)")
        #expect(!third.stderr.contains("unpack"), "the complete tree is not unpacked again")
        #expect(rootfs.treeID() == id)
        let runs = try ftlab(labRun, environment: environment)
        #expect(runs.status == 0, "\(runs.stderr)")

        // A tree without its unpack record (an unpack cut off) is unpacked afresh.
        try fm.removeItem(atPath: rootfs.unpackedFile)
        try fm.removeItem(atPath: rootfs.tree + ContainerRootfs.idFile)
        try "stray".write(toFile: rootfs.tree + "/stray", atomically: true, encoding: .utf8)
        let fourth = try ftlab(build, environment: environment)
        #expect(fourth.status == 0, "\(fourth.stdout)\(fourth.stderr)")
        #expect(fourth.stderr.contains("unpack"), "\(fourth.stderr)")
        #expect(!fm.fileExists(atPath: rootfs.tree + "/stray"))
        #expect(rootfs.unpackedID() == id && rootfs.treeID() == id)
    }
}
