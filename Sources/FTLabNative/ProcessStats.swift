import CNuma
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a native process reports about itself, read the way run.py reads it (`/proc`,
/// `getrusage`, the monotonic clock), so native and Python rows mean the same.
package enum ProcessStats {
    /// `getrusage(RUSAGE_SELF)`: the whole process.
    package static func usage() -> rusage {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage
    }

    /// The peak resident set size of the process image in KiB: `VmHWM` of
    /// `/proc/self/status`, as run.py reports it (ru_maxrss would keep a launcher's peak).
    package static func peakRSSKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) } ?? 0
    }

    /// The CPU the calling thread last ran on: field 39 of `/proc/thread-self/stat`.
    package static func currentCPU() -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Field 2 (comm) is parenthesised and may hold spaces; the fields after it start at 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 39 - 3 ? Int(fields[39 - 3]) : nil
    }

    /// The CPUs the calling thread may run on.
    package static func allowedCPUs() -> [Int] {
        var cpus = [Int32](repeating: 0, count: 8192)
        let count = ftlab_get_affinity(0, &cpus, Int32(cpus.count))
        return count > 0 ? cpus.prefix(Int(count)).map(Int.init) : []
    }

    /// The distinct shared-object paths in `/proc/self/maps`, sorted.
    package static func mappedLibraries() -> [String] {
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return [] }
        var paths = Set<String>()
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            var path = fields[5].trimmingCharacters(in: .whitespaces)
            if path.hasSuffix(" (deleted)") { path.removeLast(" (deleted)".count) }
            let name = (path as NSString).lastPathComponent
            if path.hasPrefix("/"), name.hasSuffix(".so") || name.contains(".so.") { paths.insert(path) }
        }
        return paths.sorted()
    }
}

extension timeval {
    /// The value in seconds.
    package var seconds: Double { Double(tv_sec) + Double(tv_usec) / 1e6 }
}
