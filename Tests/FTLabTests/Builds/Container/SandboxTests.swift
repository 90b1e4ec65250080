import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabBuilds

@Suite("The bwrap sandbox")
struct SandboxTests {
    let entries: [Sandbox.RootEntry] = [
        .symlink("bin", target: "usr/bin"), .directory("etc"), .directory("proc"), .directory("root"),
        .directory("tmp"), .directory("usr"),
    ]

    @Test("read-only rootfs, /proc, /dev, read-only /sys, private /tmp, binds, no network, clean env")
    func arguments() {
        var sandbox = Sandbox(root: "/lab/tree", entries: entries)
        sandbox.binds = [.init("/work/p", writable: false), .init("/work/p/results", writable: true)]
        sandbox.workingDirectory = "/work/p"
        sandbox.environment = ["PATH": "/opt/ftlab/bin:/usr/bin", "FTLAB_CACHE": "/opt/ftlab/cache"]
        let args = sandbox.arguments(command: ["ftlab", "run", "--quick"])
        #expect(args == [
            "--symlink", "usr/bin", "/bin",
            "--ro-bind", "/lab/tree/etc", "/etc",
            "--ro-bind", "/lab/tree/root", "/root",
            "--ro-bind", "/lab/tree/usr", "/usr",
            "--proc", "/proc", "--dev", "/dev", "--ro-bind", "/sys", "/sys", "--tmpfs", "/tmp",
            "--ro-bind", "/work/p", "/work/p",
            "--bind", "/work/p/results", "/work/p/results",
            "--remount-ro", "/", "--unshare-net", "--unshare-ipc", "--unshare-pid", "--die-with-parent",
            "--chdir", "/work/p", "--clearenv",
            "--setenv", "FTLAB_CACHE", "/opt/ftlab/cache", "--setenv", "PATH", "/opt/ftlab/bin:/usr/bin",
            "--", "ftlab", "run", "--quick",
        ])
    }

    @Test("a bind under /root leaves the rootfs's /root out, so its mount point can be made")
    func bindUnderRoot() {
        var sandbox = Sandbox(root: "/lab/tree", entries: entries)
        sandbox.binds = [.init("/root/project", writable: false)]
        let args = sandbox.arguments(command: ["true"])
        #expect(!args.contains("/lab/tree/root"))
        #expect(args.contains("/lab/tree/usr"))
    }

    @Test("system folders and / would hide the rootfs; /tmp/x, /root/x, /work/x do not",
          arguments: [("/", true), ("/usr", true), ("/usr/local/x", true), ("/etc/", true), ("/opt/ftlab", true),
                      ("/tmp", true), ("/tmp/results", false), ("/root/p", false), ("/work/x", false),
                      ("/usrx", false)])
    func hidesRootfs(path: String, hides: Bool) {
        #expect(Sandbox.hidesRootfs(path) == hides)
    }

    @Test("inside: ftlab's bin first on PATH, the lab cache, the host's TERM; nothing else from the host")
    func environment() {
        let env = Sandbox.labEnvironment(host: ["TERM": "xterm", "PYTHONPATH": "/x", "FTLAB_CACHE": "/host"])
        #expect(env["PATH"]?.hasPrefix("/opt/ftlab/bin:") == true)
        #expect(env["FTLAB_CACHE"] == "/opt/ftlab/cache")
        #expect(env["TERM"] == "xterm")
        #expect(env["PYTHONPATH"] == nil)
    }

    @Test("really sandboxed (the host's / as rootfs): only the results folder and /tmp are writable, no network",
          .tags(.integration), .skippedInUnitRuns,
          .enabled(if: findOnPath("bwrap") != nil, "needs bubblewrap (make deps)"))
    func realSandbox() throws {
        let results = TestPaths.scratch("sandbox")
        var sandbox = Sandbox(root: "", entries: Sandbox.entries(of: "/"))
        sandbox.binds = [.init(results, writable: true)]
        sandbox.environment = ["PATH": "/usr/bin:/bin"]
        let script = """
            touch \(results)/ok && touch /tmp/ok && ! touch /etc/ftlab-x 2>/dev/null && ! touch /ftlab-x 2>/dev/null \
            && [ "$(grep -c : /proc/net/dev)" = 1 ] && test -d /sys/devices/system/cpu && echo sandboxed
            """
        let run = try runProgram(findOnPath("bwrap")!, sandbox.arguments(command: ["/bin/sh", "-c", script]))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "sandboxed\n")
        #expect(FileManager.default.fileExists(atPath: results + "/ok"))
    }
}
