import Foundation

/// Whether a process really ran on the allocator it was given, judged from what the harness
/// saw inside it: the CSV's `allocator_verified`, with a message saying why.
public struct AllocatorEvidence: Sendable, Equatable {
    public var verified: Bool
    public var message: String

    /// Checks the harness's `mapped_libraries` (`/proc/self/maps`) and `allocator_stats`
    /// against `choice`: its library must be mapped, and a jemalloc must also report
    /// `jemalloc.stats.allocated` > 0 (it really served allocations). A choice with no library
    /// (`system`) has nothing to prove and is verified.
    public static func check(_ choice: AllocatorChoice, mappedLibraries: [String], allocatorStats: [String: Double]) -> AllocatorEvidence {
        guard let expected = choice.expectedLibrary else {
            return AllocatorEvidence(verified: true, message: "no allocator library to swap in (\(choice.name))")
        }
        let library = SharedObject.realPath(expected) ?? expected
        guard mappedLibraries.contains(library) else {
            return AllocatorEvidence(verified: false,
                                     message: "allocator \(choice.name) did not take effect: \(library) is not mapped in the process")
        }
        guard (library as NSString).lastPathComponent.hasPrefix("libjemalloc") else {
            return AllocatorEvidence(verified: true, message: "\(library) is mapped")
        }
        guard let allocated = allocatorStats["jemalloc.stats.allocated"], allocated > 0 else {
            return AllocatorEvidence(verified: false,
                                     message: "\(library) is mapped but jemalloc reported no stats.allocated through mallctl")
        }
        return AllocatorEvidence(verified: true, message: "\(library) is mapped; jemalloc stats.allocated = \(Int(allocated)) bytes")
    }
}
