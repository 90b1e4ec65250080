import Foundation
import FTLabCore
import FTLabRunner
import FTLabBuilds

/// A cache holding a tiny stand-in for the lab: a tarball, its recorded sha256 and a tree
/// unpacked "from" it. Enough for every check `ftlab lab run` makes before bwrap starts.
struct FakeRootfs {
    let cache: CacheDirectory
    let rootfs: ContainerRootfs
    let sha256: String

    init() throws {
        cache = CacheDirectory(root: TestPaths.scratch("fakelab"))
        rootfs = ContainerRootfs(cache: cache)
        let fm = FileManager.default
        for dir in ["usr", "etc", "opt/ftlab/cache", "root", "proc", "tmp"] {
            try fm.createDirectory(atPath: "\(rootfs.tree)/\(dir)", withIntermediateDirectories: true)
        }
        try fm.createSymbolicLink(atPath: "\(rootfs.tree)/bin", withDestinationPath: "usr/bin")
        let tar = try runProgram("/usr/bin/tar", ["-cf", rootfs.tarball, "-C", rootfs.tree, "."])
        precondition(tar.status == 0, tar.stderr)
        let sum = try runProgram("/usr/bin/sha256sum", [rootfs.tarball])
        sha256 = String(sum.stdout.prefix(64))
        try ContainerRootfs.checksumLine(sha256).write(toFile: rootfs.checksumFile, atomically: true, encoding: .utf8)
        try (sha256 + "\n").write(toFile: rootfs.tree + ContainerRootfs.idFile, atomically: true, encoding: .utf8)
    }

    /// Changes one byte at the end of the tarball, as corruption or tampering would.
    func tamper() throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: rootfs.tarball))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0x42]))
        try handle.close()
    }
}
