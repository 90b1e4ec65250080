import FTLabCore
/// An `--allocator` value that cannot be used; the description names it, the accepted forms
/// and what is installed here.
public enum AllocatorError: FTLabError, Equatable {
    /// Neither a known name nor a path (a path contains `/`).
    case unknownName(String, installed: [AllocatorStatus])
    /// A known allocator whose library is on neither the loader's cache nor its folders.
    case notInstalled(String, looked: [String], debianPackage: String, installed: [AllocatorStatus])
    /// A path that is not a shared library this machine can preload, and why.
    case notALibrary(path: String, reason: String, installed: [AllocatorStatus])

    public var description: String {
        switch self {
        case let .unknownName(name, installed):
            "unknown allocator \"\(name)\"; \(Self.choices(installed))"
        case let .notInstalled(name, looked, package, installed):
            "allocator \"\(name)\" is not installed (no \(looked.joined(separator: " or ")) in the loader cache"
                + " or library folders; Debian package \(package)); \(Self.choices(installed))"
        case let .notALibrary(path, reason, installed):
            "allocator \"\(path)\" is not a loadable shared library: \(reason); \(Self.choices(installed))"
        }
    }

    private static func choices(_ installed: [AllocatorStatus]) -> String {
        "accepted: \(AllocatorRegistry.knownNames.joined(separator: ", ")) or a path to a shared library (.so); "
            + "on this machine: " + installed.map(\.shortText).joined(separator: ", ")
    }
}
