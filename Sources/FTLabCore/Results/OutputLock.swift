import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One writer per results file: an exclusive `flock` on `.lock` in the run's log folder
/// (`RUN.logs/.lock` for `RUN.csv`), held for the run's life and released by the kernel when
/// the process ends however it ends (`kill -9` included). The lock file records the holder's
/// pid for the refusal message; it stays in place (removing it would let two writers lock two
/// different files).
public final class OutputLock: @unchecked Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// The lock file of the results file `output`.
    public static func lockFile(for output: String) -> String { ResultFile.logDirectory(for: output) + "/.lock" }

    /// Takes the lock for the results file `output` (creating its log folder), or throws
    /// naming the process that holds it.
    public init(for output: String) throws(ResultsError) {
        path = Self.lockFile(for: output)
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .cannotWrite(path: output, reason: "cannot create its lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.holder(fd)
            close(fd)
            throw .busy(path: output, holder: holder)
        }
        descriptor = fd
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }

    /// Throws when a run holds `output` now (for writers that replace a file in one step, such
    /// as `merge -o`): never creates anything.
    public static func checkFree(_ output: String) throws(ResultsError) {
        let fd = open(lockFile(for: output), O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 { throw .busy(path: output, holder: holder(fd)) }
        flock(fd, LOCK_UN)
    }

    /// The pid recorded in the lock file (empty when unreadable).
    private static func holder(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
