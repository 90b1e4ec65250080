import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabBuilds

@Suite("ftlab lab run: the checks before the sandbox starts")
struct ContainerSessionTests {
    let bwrapInstalled = findOnPath("bwrap") != nil

    @Test("a verified lab gives a bwrap command: cwd read-only, results writable, no network", .tags(.integration), .skippedInUnitRuns,
          .enabled(if: findOnPath("bwrap") != nil, "needs bubblewrap (make deps)"))
    func prepares() async throws {
        let lab = try FakeRootfs()
        let cwd = TestPaths.scratch("cwd")
        let (bwrap, args) = try await ContainerSession.prepare(
            command: ["ftlab", "env"], results: "out", workingDirectory: cwd, cache: lab.cache)
        #expect(bwrap.hasSuffix("/bwrap"))
        let text = args.joined(separator: " ")
        #expect(text.contains("--ro-bind \(cwd) \(cwd) --bind \(cwd)/out \(cwd)/out"))
        #expect(text.contains("--chdir \(cwd)"))
        #expect(text.contains("--unshare-net"))
        #expect(text.hasSuffix("-- ftlab env"))
        #expect(FileManager.default.fileExists(atPath: "\(cwd)/out"), "a missing results folder is created")
    }

    @Test("a changed tarball is refused (exit 2), naming both sha256 values", .tags(.integration), .skippedInUnitRuns)
    func tamperedTarball() async throws {
        let lab = try FakeRootfs()
        try lab.tamper()
        await #expect {
            try await lab.rootfs.verifiedSHA256()
        } throws: { error in
            guard case let ContainerError.checksumMismatch(_, expected, actual) = error else { return false }
            return expected == lab.sha256 && actual != lab.sha256 && LabSource.isSHA256(actual)
        }
    }

    @Test("no tarball, no sha256 file, or a tree from another tarball: refused with what to run", .tags(.integration), .skippedInUnitRuns)
    func missingPieces() async throws {
        let empty = ContainerRootfs(cache: CacheDirectory(root: TestPaths.scratch("empty")))
        #expect(throws: ContainerError.notBuilt(tarball: empty.tarball)) { try empty.recordedSHA256() }

        let lab = try FakeRootfs()
        try FileManager.default.removeItem(atPath: lab.rootfs.checksumFile)
        #expect(throws: ContainerError.badChecksumFile(path: lab.rootfs.checksumFile)) { try lab.rootfs.recordedSHA256() }

        let other = try FakeRootfs()
        try "0000\n".write(toFile: other.rootfs.tree + ContainerRootfs.idFile, atomically: true, encoding: .utf8)
        if bwrapInstalled {
            await #expect(throws: ContainerError.labNotAssembled(tree: other.rootfs.tree)) {
                try await ContainerSession.prepare(command: ["true"], results: "r", workingDirectory: "/tmp", cache: other.cache)
            }
        }
    }

    @Test("a results folder that cannot be written, or would hide the rootfs, is refused (exit 2)",
          arguments: ["/proc/ftlab-results", "/usr/share", "/"])
    func unwritableResults(path: String) throws {
        #expect {
            try ContainerSession.prepareResults(path, relativeTo: "/tmp")
        } throws: { error in
            guard case ContainerError.resultsNotWritable = error else { return false }
            return (error as? ContainerError)?.exitCode == 2
        }
    }

    @Test("a results path that is a file is refused; a relative one is made absolute and created")
    func resultsPaths() throws {
        let base = TestPaths.scratch("results")
        #expect(FileManager.default.createFile(atPath: base + "/file", contents: nil))
        #expect(throws: ContainerError.resultsNotWritable(path: base + "/file", reason: "it is not a directory")) {
            try ContainerSession.prepareResults("file", relativeTo: base)
        }
        #expect(try ContainerSession.prepareResults("a/../b", relativeTo: base) == base + "/b")
    }

    @Test("no command after --")
    func missingCommand() async throws {
        await #expect(throws: ContainerError.missingCommand) {
            try await ContainerSession.prepare(command: [], results: "r", cache: CacheDirectory(root: "/nonexistent"))
        }
    }
}

@Suite("ftlab lab rootfs / lab run on the command line: refusals", .tags(.integration), .skippedInUnitRuns)
struct LabCommandRefusalTests {
    /// A PATH folder holding only `tools` (links to the host's), so the others look uninstalled.
    func path(with tools: [String]) throws -> String {
        let dir = TestPaths.scratch("path")
        for tool in tools {
            if let real = findOnPath(tool) { try FileManager.default.createSymbolicLink(atPath: "\(dir)/\(tool)", withDestinationPath: real) }
        }
        return dir
    }

    @Test("missing bwrap: exit 2 with the apt-get command, for run and rootfs")
    func missingBwrap() throws {
        let cache = TestPaths.scratch("cache")
        let env = ["PATH": try path(with: []), "FTLAB_CACHE": cache]
        for args in [["lab", "run", "--", "true"], ["lab", "rootfs"]] {
            let run = try ftlab(args, environment: env)
            #expect(run.status == 2, "\(args): \(run.stderr)")
            #expect(run.stderr.contains("bwrap is not installed; install it with: apt-get install bubblewrap"), "\(run.stderr)")
        }
    }

    @Test("missing mmdebstrap: exit 2 with the apt-get command", .enabled(if: findOnPath("bwrap") != nil))
    func missingMmdebstrap() throws {
        let env = ["PATH": try path(with: ["bwrap"]), "FTLAB_CACHE": TestPaths.scratch("cache")]
        let run = try ftlab(["lab", "rootfs"], environment: env)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("mmdebstrap is not installed; install it with: apt-get install mmdebstrap"))
    }

    @Test("a tampered tarball and an unwritable results folder: exit 2 before anything runs",
          .enabled(if: findOnPath("bwrap") != nil))
    func refusals() throws {
        let lab = try FakeRootfs()
        let env = ["FTLAB_CACHE": lab.cache.root]
        let unwritable = try ftlab(["lab", "run", "--results", "/proc/ftlab-results", "--", "true"], environment: env)
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("results directory /proc/ftlab-results is not usable"), "\(unwritable.stderr)")

        try lab.tamper()
        let tampered = try ftlab(["lab", "run", "--", "true"], environment: env)
        #expect(tampered.status == 2)
        #expect(tampered.stderr.contains("refusing \(lab.rootfs.tarball)"), "\(tampered.stderr)")
        #expect(tampered.stderr.contains(lab.sha256))
    }
}
