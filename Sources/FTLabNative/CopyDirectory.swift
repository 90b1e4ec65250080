import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where buffered-copy's files go, decided as workload.py's `workdir` decides it: the `dir`
/// parameter (default /dev/shm; when that is missing, $XDG_RUNTIME_DIR if it is a tmpfs,
/// else the temp dir, with a note on stderr), in a folder `ftlab-buffered-copy-<pid>`.
/// Folders of dead processes with that prefix are removed first, whichever side left them.
package enum CopyDirectory {
    package static let defaultDirectory = "/dev/shm"
    package static let folderPrefix = "ftlab-buffered-copy-"

    /// Makes this process's fresh folder under `requested`.
    package static func make(requested: String) throws(NativeError) -> String {
        let fm = FileManager.default
        var base = requested
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: requested, isDirectory: &isDirectory) && isDirectory.boolValue
        if requested == defaultDirectory, !exists {
            base = fallback()
            let kind = filesystem(of: base)
            let note = kind == "tmpfs" ? "a tmpfs" : "\(kind), not a tmpfs: the figures include it"
            FileHandle.standardError.write(Data("buffered-copy: \(defaultDirectory) is missing; using \(base) (\(note))\n".utf8))
        } else if !exists {
            throw .badParameter("param 'dir': '\(requested)' is not a directory")
        }
        removeStale(in: base)
        let path = (base as NSString).appendingPathComponent("\(folderPrefix)\(getpid())")
        try? fm.removeItem(atPath: path)  // a dead process had our pid
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: false)
        } catch {
            throw .io("cannot create \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// $XDG_RUNTIME_DIR when it is a tmpfs, else the temp dir.
    package static func fallback() -> String {
        if let runtime = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !runtime.isEmpty,
           filesystem(of: runtime) == "tmpfs" {
            return runtime
        }
        return (NSTemporaryDirectory() as NSString).standardizingPath
    }

    /// The type of the file system holding `path` (from /proc/self/mounts).
    package static func filesystem(of path: String) -> String {
        let real = (path as NSString).resolvingSymlinksInPath
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return "unknown" }
        var best = "", kind = "unknown"
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let prefix = point.hasSuffix("/") ? point : point + "/"
            if (real == point || real.hasPrefix(prefix)), point.count >= best.count {
                best = point
                kind = String(fields[2])
            }
        }
        return kind
    }

    /// Removes folders of earlier processes that died before their cleanup.
    package static func removeStale(in base: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] where name.hasPrefix(folderPrefix) {
            let digits = name.dropFirst(folderPrefix.count)
            guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let pid = Int32(digits) else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (base as NSString).appendingPathComponent(name))
            }
        }
    }
}
