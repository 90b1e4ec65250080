import Foundation
import FTLabCore

/// `--memory-limit SIZE`: the address space each interpreter process may use (`RLIMIT_AS`,
/// set by `ftlab _launch` before the interpreter starts). A workload that allocates past it
/// gets `MemoryError` and its row says "out of memory"; the suite goes on. Address space is
/// not resident memory: allocators reserve more than they touch (the free-threaded build's
/// mimalloc especially), so set it well above the working set, e.g. 2G.
public struct MemoryLimit: Sendable, Equatable, CustomStringConvertible {
    public let bytes: UInt64

    /// Parses `512M`, `2G`, `1048576` (K, M, G, T suffixes are powers of 1024).
    public init(parsing text: String) throws(RunInputError) {
        guard let bytes = ByteSize.parse(text.trimmingCharacters(in: .whitespaces)), bytes >= 16 << 20 else {
            throw .badMemoryLimit(text)
        }
        self.bytes = bytes
    }

    public init(bytes: UInt64) { self.bytes = bytes }

    /// As the user would write it (`512M`).
    public var description: String {
        for (suffix, unit) in [("T", UInt64(1) << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)]
        where bytes % unit == 0 {
            return "\(bytes / unit)\(suffix)"
        }
        return String(bytes)
    }

    /// A failure message as the row should carry it: "out of memory" first when the process
    /// ran out of its address space.
    package func explain(_ message: String) -> String {
        let signs = ["MemoryError", "Cannot allocate memory", "out of memory", "std::bad_alloc"]
        guard signs.contains(where: message.contains) else { return message }
        return "out of memory (over --memory-limit \(self)): \(message)"
    }
}
