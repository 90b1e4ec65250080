import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Puts finished files and folders at their final path in one `rename(2)`, so that a process
/// killed part way leaves the old item or the complete new one there, never a part of it.
package enum AtomicPlacement {
    /// Why an item could not be put in place.
    package struct Failure: Error, CustomStringConvertible {
        package var path: String
        package var reason: String
        package var description: String { "\(path): \(reason)" }
    }

    /// Replaces the file at `path` with `data` (written to a sibling, then renamed over it).
    package static func write(_ data: Data, to path: String) throws(Failure) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw Failure(path: path, reason: (error as NSError).localizedFailureReason ?? "\(error)")
        }
    }

    /// Moves the finished `item` to `destination` (both on one file system). A file there is
    /// replaced in the same step; a folder there is first renamed to `aside` (by default
    /// `destination.old`), then removed.
    package static func move(_ item: String, to destination: String, aside: String? = nil) throws(Failure) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: destination, isDirectory: &isFolder), isFolder.boolValue {
            let aside = aside ?? destination + ".old"
            try? FileManager.default.removeItem(atPath: aside)
            try rename(destination, to: aside)
            try rename(item, to: destination)
            try? FileManager.default.removeItem(atPath: aside)
        } else {
            try rename(item, to: destination)
        }
    }

    private static func rename(_ from: String, to: String) throws(Failure) {
        guard Glibc.rename(from, to) == 0 else {
            throw Failure(path: to, reason: "cannot rename \(from) to it: \(String(cString: strerror(errno)))")
        }
    }
}
