import Foundation
import FTLabCore

/// The Debian package a file belongs to, and that package's installed version.
package struct DebianPackage: Sendable, Equatable {
    package var name: String
    package var version: String

    /// Asks dpkg about each path in turn (a resolved path and the one the loader cache lists
    /// may differ after the /usr merge); nil when dpkg is missing or knows none of them.
    package static func owning(_ paths: [String]) async -> DebianPackage? {
        let dpkgQuery = "/usr/bin/dpkg-query"
        for path in paths {
            guard let listing = await HostCommand(dpkgQuery, ["-S", path]).outputIfSucceeded(), let name = parseOwner(listing, path: path),
                  let version = await HostCommand(dpkgQuery, ["-W", "-f", "${Version}", name]).outputIfSucceeded(), !version.isEmpty
            else { continue }
            return DebianPackage(name: String(name.prefix { $0 != ":" }), version: version)
        }
        return nil
    }

    /// The package (with its `:arch`) in `dpkg-query -S` output (`libjemalloc2:amd64: /usr/lib/.../libjemalloc.so.2`);
    /// the first one when several share the file, diversion lines skipped.
    package static func parseOwner(_ listing: String, path: String) -> String? {
        for line in listing.split(separator: "\n") where !line.hasPrefix("diversion by") && line.hasSuffix(": " + path) {
            let owners = line.dropLast(path.count + 2)
            return owners.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
}
