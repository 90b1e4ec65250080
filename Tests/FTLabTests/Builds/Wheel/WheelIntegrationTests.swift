import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabBuilds

/// The wheel `make wheel` builds, installed the way a Python tool is: `make test-wheel` builds
/// it and sets FTLAB_WHEEL_TESTS=1. pip installs it into a fresh venv (no index: the wheel
/// needs nothing else), and the installed `ftlab`, found on PATH, lists and runs the corpus
/// from a folder outside the checkout.
@Suite("The ftlab wheel, installed with pip", .serialized, .tags(.integration), .skippedInUnitRuns,
       .enabled(if: ProcessInfo.processInfo.environment["FTLAB_WHEEL_TESTS"] == "1", "run with make test-wheel"))
struct WheelIntegrationTests {
    /// The one wheel of this version in `.build/wheel/`.
    static func wheel() throws -> String {
        let folder = TestPaths.repository + "/.build/wheel"
        let prefix = "ftlab-\(FTLabVersion.current)-py3-none-manylinux_"
        let found = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix("_x86_64.whl") }
        try #require(found.count == 1, "expected one \(prefix)*_x86_64.whl in \(folder), found \(found); build it with make wheel")
        return "\(folder)/\(found[0])"
    }

    /// The system python3 (Debian's), which makes the venv.
    static var systemPython: String {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : (findOnPath("python3") ?? "python3")
    }

    /// The interpreter the tiny run measures: the lab's GIL build when it is built, else the
    /// system python3.
    static var measuredPython: String {
        let lab = PinnedPair.executable(.gil)
        return FileManager.default.isExecutableFile(atPath: lab) ? lab : systemPython
    }

    /// Runs `command` (a shell line) in `directory` with `PATH` led by `bin`.
    func shell(_ command: String, in directory: String, bin: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProgram("/bin/sh", ["-c", "cd \"$1\" && eval \"$2\"", "sh", directory, command],
                       environment: ["PATH": "\(bin):/usr/local/bin:/usr/bin:/bin", "FTLAB_WORKLOADS": ""])
    }

    @Test("pip installs it into a clean venv; ftlab on PATH lists and runs a tiny workload from another folder")
    func pipInstallRunElsewhere() throws {
        let wheel = try Self.wheel()
        let dir = TestPaths.scratch()
        // The venv lies in a project's git checkout, as a `.venv` often does.
        let git = try runProgram("/bin/sh", ["-c", "cd \"$1\" && git init -q && git -c user.name=t -c user.email=t@t "
                                             + "commit -q --allow-empty -m project", "sh", dir])
        try #require(git.status == 0, "git: \(git.stderr)")
        let venv = dir + "/.venv"
        let made = try runProgram(Self.systemPython, ["-m", "venv", venv])
        try #require(made.status == 0, "python3 -m venv: \(made.stderr)")
        let install = try runProgram(venv + "/bin/python", ["-m", "pip", "install", "--no-index", "--no-deps", "-q", wheel])
        try #require(install.status == 0, "pip install: \(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: venv + "/bin/ftlab"))
        #expect(FileManager.default.fileExists(atPath: venv + "/share/ftlab/Workloads/_harness/run.py"))
        #expect(FileManager.default.fileExists(atPath: venv + "/share/ftlab/lab/pythons.toml"))

        let elsewhere = dir + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let found = try shell("command -v ftlab", in: elsewhere, bin: venv + "/bin")
        #expect(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == venv + "/bin/ftlab")

        let list = try shell("ftlab list", in: elsewhere, bin: venv + "/bin")
        #expect(list.status == 0, "ftlab list: \(list.stderr)")
        #expect(list.stdout.contains("log-processing/pipeline"))

        let csv = elsewhere + "/tiny.csv"
        let run = try shell("ftlab run log-processing/pipeline --threads 1 --quick --processes 1 --samples 2 "
                            + "--target-seconds 0.03 --quiet --python '\(Self.measuredPython)' -o tiny.csv",
                            in: elsewhere, bin: venv + "/bin")
        try #require(run.status == 0, "ftlab run: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(!rows.isEmpty && rows.allSatisfy { $0.status == .ok && $0.workload == "log-processing" })
        // The corpus installed from the wheel carries the revision it was built from, not the
        // project's around the venv.
        let recorded = try String(contentsOfFile: venv + "/share/ftlab/Workloads/.suite-rev", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!recorded.isEmpty && recorded != "unknown")
        #expect(rows.allSatisfy { $0.suiteRev == recorded }, "\(rows.map(\.suiteRev))")
    }

    @Test("pip refuses it by its tag for another OS, another machine or an older glibc",
          arguments: ["macosx_11_0_arm64", "win_amd64", "manylinux_2_36_aarch64", "manylinux_2_17_x86_64"])
    func refusedByTag(platform: String) throws {
        let wheel = try Self.wheel()
        let tag = String(((wheel as NSString).lastPathComponent as NSString).deletingPathExtension.split(separator: "-").last!)
        let dir = TestPaths.scratch()
        func dryRun(_ platform: String) throws -> (status: Int32, stdout: String, stderr: String) {
            try runProgram(Self.systemPython, ["-m", "pip", "install", "--dry-run", "--no-index", "--no-deps",
                                               "--only-binary=:all:", "--platform", platform, "--target", dir + "/target", wheel])
        }
        // The wheel's own platform is accepted, so the refusal below is the tag's doing.
        let accepted = try dryRun(tag)
        #expect(accepted.status == 0, "pip --platform \(tag): \(accepted.stderr)")
        let refused = try dryRun(platform)
        #expect(refused.status != 0 && refused.stderr.contains("is not a supported wheel on this platform"), "\(refused)")
    }

    @Test("in a bare Debian (no libnuma, no development package): pip installs it and it runs",
          .tags(.network), .skippedInUnitRuns, .enabled(if: Self.canBuildBareRootfs, "needs root, mmdebstrap and bwrap (make deps-lab)"))
    func bareDebian() throws {
        let wheel = try Self.wheel()
        let root = try Self.bareRootfs()
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: root + "/usr/lib/x86_64-linux-gnu/libnuma.so.1"), "the rootfs is not bare")
        #expect(!fm.fileExists(atPath: root + "/usr/include/numa.h"))

        var sandbox = Sandbox(root: root, entries: Sandbox.entries(of: root))
        let inside = "/wheel/" + (wheel as NSString).lastPathComponent
        sandbox.binds = [.init(wheel, at: inside, writable: false)]
        sandbox.workingDirectory = "/tmp"
        sandbox.environment = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"]
        let script = """
            set -e
            python3 -m venv /tmp/venv && /tmp/venv/bin/pip install -q --no-index --no-deps '\(inside)'
            mkdir /tmp/elsewhere && cd /tmp/elsewhere && PATH=/tmp/venv/bin:$PATH
            ftlab list | grep -q log-processing/pipeline
            ftlab run log-processing/pipeline --threads 1 --quick --processes 1 --samples 2 --target-seconds 0.03 \\
                --quiet --python /usr/bin/python3 -o tiny.csv
            echo "rows $(($(wc -l < tiny.csv) - 1))"
            """
        let run = try runProgram(findOnPath("bwrap")!, sandbox.arguments(command: ["/bin/sh", "-c", script]))
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("rows 2"), "\(run.stdout)")
    }

    static var canBuildBareRootfs: Bool {
        getuid() == 0 && findOnPath("mmdebstrap") != nil && findOnPath("bwrap") != nil
    }

    /// Debian bookworm, minbase, with python3 and python3-venv only: built once with mmdebstrap
    /// (about a minute, from the Debian archive) into `<cache>/lab/bare-bookworm` and reused.
    static func bareRootfs() throws -> String {
        let root = CacheDirectory().root + "/lab/bare-\(RootfsRecipe.suite)"
        let complete = root + ".complete"
        let fm = FileManager.default
        if fm.fileExists(atPath: complete) { return root }
        let partial = root + ".partial"
        try? fm.removeItem(atPath: partial)
        try? fm.removeItem(atPath: root)
        try fm.createDirectory(atPath: (root as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let build = try runProgram(findOnPath("mmdebstrap")!, [
            "--variant=minbase", "--format=directory", "--include=python3,python3-venv", RootfsRecipe.suite, partial,
        ] + RootfsRecipe.sources)
        try #require(build.status == 0, "mmdebstrap: \(build.stderr.suffix(2000))")
        try fm.moveItem(atPath: partial, toPath: root)
        #expect(fm.createFile(atPath: complete, contents: Data()))
        return root
    }
}
