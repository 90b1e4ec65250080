import Foundation
import FTLabCore

/// One known allocator as `ftlab env` lists it: installed (where, which version) or not.
public struct AllocatorStatus: Sendable, Equatable, Codable {
    public var name: String
    public var installed: Bool
    /// The resolved library; nil for `system` and when not installed.
    public var path: String?
    public var version: String?
    public var package: String?

    public init(installed allocator: Allocator) {
        name = allocator.name
        installed = true
        path = allocator.path
        version = allocator.version
        package = allocator.package
    }

    public init(missing name: String) {
        self.name = name
        installed = false
    }

    /// `jemalloc /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 (5.3.0-1)`, `tcmalloc: not installed`.
    package var shortText: String {
        guard installed else { return "\(name): not installed" }
        return [name, path, version.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
    }

    /// The `allocators:` section of `ftlab env`.
    public static func summaryText(_ statuses: [AllocatorStatus]) -> String {
        "allocators:\n" + renderTable(
            header: ["name", "path", "version"],
            rows: statuses.map { status in
                guard status.installed else { return [status.name, "not installed", "-"] }
                let version = (status.version ?? "-") + (status.package.map { " (\($0))" } ?? "")
                return [status.name, status.path ?? "(C library malloc)", version]
            }).trimmingCharacters(in: .newlines)
    }
}
