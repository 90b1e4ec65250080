import Foundation

/// An allocator as applied to one interpreter build.
public struct AllocatorChoice: Sendable, Equatable {
    public var name: String
    /// `all`, `raw` or `none`: which allocations the swapped allocator serves.
    public var scope: String
    /// Environment the allocator needs (`LD_PRELOAD`, `PYTHONMALLOC`).
    public var environment: [String: String]
    /// The shared library that must be mapped in the process for the swap to count (nil: none).
    public var expectedLibrary: String?

    public init(name: String, scope: String, environment: [String: String] = [:], expectedLibrary: String? = nil) {
        self.name = name
        self.scope = scope
        self.environment = environment
        self.expectedLibrary = expectedLibrary
    }

    public static let system = AllocatorChoice(name: "system", scope: "none")
}
