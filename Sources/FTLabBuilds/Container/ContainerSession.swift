import Foundation
import FTLabCore

/// `ftlab lab run -- COMMAND`: checks everything before anything runs (bwrap installed, the
/// results folder writable, the tarball's sha256 the recorded one, the tree unpacked from it),
/// then gives the `bwrap` invocation that runs COMMAND in the lab.
public enum ContainerSession {
    /// The bwrap executable and its arguments. The working directory is bound read-only at its
    /// own path (unless that would hide part of the rootfs) and `results` read-write, so paths
    /// relative to it work inside as outside.
    public static func prepare(
        command: [String], results: String, workingDirectory: String = FileManager.default.currentDirectoryPath,
        cache: CacheDirectory = CacheDirectory()
    ) async throws(ContainerError) -> (bwrap: String, arguments: [String]) {
        guard !command.isEmpty else { throw .missingCommand }
        guard let bwrap = findOnPath("bwrap") else { throw .missingTool(tool: "bwrap", package: "bubblewrap") }
        let rootfs = ContainerRootfs(cache: cache)
        let id = try await rootfs.verifiedSHA256()
        guard rootfs.treeID() == id else { throw .labNotAssembled(tree: rootfs.tree) }
        let resultsDirectory = try prepareResults(results, relativeTo: workingDirectory)

        var sandbox = Sandbox(root: rootfs.tree, entries: Sandbox.entries(of: rootfs.tree))
        sandbox.environment = Sandbox.labEnvironment()
        if !Sandbox.hidesRootfs(workingDirectory) {
            sandbox.binds.append(.init(workingDirectory, writable: false))
            sandbox.workingDirectory = workingDirectory
        }
        sandbox.binds.append(.init(resultsDirectory, writable: true))
        return (bwrap, sandbox.arguments(command: command))
    }

    /// The absolute results folder, created when missing; refused (exit 2) when it cannot be
    /// written or would hide part of the lab's rootfs.
    package static func prepareResults(_ path: String, relativeTo base: String) throws(ContainerError) -> String {
        let absolute = ((path.hasPrefix("/") ? path : "\(base)/\(path)") as NSString).standardizingPath
        guard !Sandbox.hidesRootfs(absolute) else {
            throw .resultsNotWritable(path: absolute, reason: "binding it would hide the lab's own \(absolute)")
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: absolute, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .resultsNotWritable(path: absolute, reason: "it is not a directory") }
        } else {
            do { try fm.createDirectory(atPath: absolute, withIntermediateDirectories: true) } catch {
                throw .resultsNotWritable(path: absolute, reason: "cannot create it (\(error.localizedDescription))")
            }
        }
        // access(2) says yes to root on a read-only mount: try a real file.
        let probe = "\(absolute)/.ftlab-write-probe-\(ProcessInfo.processInfo.processIdentifier)"
        guard fm.createFile(atPath: probe, contents: nil) else {
            throw .resultsNotWritable(path: absolute, reason: "cannot create a file in it")
        }
        try? fm.removeItem(atPath: probe)
        return absolute
    }
}
