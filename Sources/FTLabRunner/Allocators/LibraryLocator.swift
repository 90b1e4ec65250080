import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// Finds shared libraries the way the dynamic loader does: its cache (`ldconfig -p`) first,
/// then the standard library folders of this machine's multiarch triple.
package struct LibraryLocator: Sendable {
    /// One line of `ldconfig -p`: a library name and the path the loader would use.
    package struct CacheEntry: Sendable, Equatable {
        package var name: String
        package var path: String
    }

    package var cache: [CacheEntry]
    package var directories: [String]

    /// This machine's loader cache and library folders; from an unpacked bundle, the bundle's
    /// `lib/` comes first (the allocators it ships win over the machine's).
    package static func host(bundle: BundleHome? = BundleHome.current) async -> LibraryLocator {
        var listing: String?
        for ldconfig in ["/sbin/ldconfig", "/usr/sbin/ldconfig"] where listing == nil {
            listing = await HostCommand(ldconfig, ["-p"]).outputIfSucceeded()
        }
        let shipped = bundle.map { bundle in
            ((try? FileManager.default.contentsOfDirectory(atPath: bundle.libraries)) ?? []).sorted()
                .map { CacheEntry(name: $0, path: "\(bundle.libraries)/\($0)") }
        } ?? []
        return LibraryLocator(cache: shipped + parseCache(listing ?? ""),
                              directories: standardDirectories(triple: multiarchTriple(machine: machine())))
    }

    /// The first library of this machine's architecture whose file name is one of `names` (in
    /// order of preference) or a longer version of it (`libmimalloc.so.2.0` for
    /// `libmimalloc.so.2`). The path is returned as found, not resolved.
    package func find(_ names: [String]) -> String? {
        for name in names {
            let cached = cache.filter { Self.file($0.name, matches: name) }.map(\.path)
            if let hit = cached.first(where: SharedObject.isNative) { return hit }
            for directory in directories {
                let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                let hits = files.filter { Self.file($0, matches: name) }.sorted().map { directory + "/" + $0 }
                if let hit = hits.first(where: SharedObject.isNative) { return hit }
            }
        }
        return nil
    }

    package static func file(_ file: String, matches name: String) -> Bool {
        file == name || file.hasPrefix(name + ".")
    }

    /// Parses `ldconfig -p`: `\tlibjemalloc.so.2 (libc6,x86-64) => /lib/x86_64-linux-gnu/libjemalloc.so.2`.
    package static func parseCache(_ text: String) -> [CacheEntry] {
        text.split(separator: "\n").compactMap { line in
            guard let arrow = line.range(of: " => "),
                  let name = line[..<arrow.lowerBound].split(whereSeparator: \.isWhitespace).first else { return nil }
            let path = line[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
            return path.hasPrefix("/") ? CacheEntry(name: String(name), path: path) : nil
        }
    }

    /// Debian's multiarch triple for a `uname -m` machine name (`x86_64` -> `x86_64-linux-gnu`).
    package static func multiarchTriple(machine: String) -> String {
        switch machine {
        case "aarch64", "arm64": "aarch64-linux-gnu"
        case "i386", "i486", "i586", "i686": "i386-linux-gnu"
        case "ppc64le": "powerpc64le-linux-gnu"
        case "ppc64": "powerpc64-linux-gnu"
        case _ where machine.hasPrefix("armv7") || machine.hasPrefix("armv8l"): "arm-linux-gnueabihf"
        default: "\(machine)-linux-gnu"  // x86_64, s390x, riscv64, loongarch64
        }
    }

    /// The folders the loader searches by default, multiarch ones first.
    package static func standardDirectories(triple: String) -> [String] {
        ["/usr/lib/\(triple)", "/lib/\(triple)", "/usr/lib", "/usr/local/lib"]
    }

    /// `uname -m`.
    package static func machine() -> String {
        var names = utsname()
        guard uname(&names) == 0 else { return "unknown" }
        return withUnsafeBytes(of: &names.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
