import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An allocator resolved on this machine: which library to preload, and which version it is.
public struct Allocator: Sendable, Equatable, Codable {
    /// `system`, a known name (`jemalloc`, `mimalloc`, `tcmalloc`) or the path the user gave.
    public var name: String
    /// The shared library to preload, resolved to its real file (as `/proc/self/maps` names
    /// it); nil for `system`.
    public var path: String?
    /// The Debian package version (`5.3.0-1`), else the library's file name; for `system`,
    /// the C library's (`glibc 2.36`).
    public var version: String
    /// The Debian package the library comes from, when dpkg knows the file.
    public var package: String?

    public init(name: String, path: String?, version: String, package: String? = nil) {
        self.name = name
        self.path = path
        self.version = version
        self.package = package
    }

    /// The C library's own malloc: nothing is preloaded.
    public static var system: Allocator { Allocator(name: "system", path: nil, version: cLibraryVersion()) }

    /// `glibc 2.36`, from `confstr(_CS_GNU_LIBC_VERSION)`.
    package static func cLibraryVersion() -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else { return "unknown C library" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
