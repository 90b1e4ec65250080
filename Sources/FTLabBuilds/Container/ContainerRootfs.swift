import Foundation
import FTLabCore

/// Where the container lab lives in the cache (`<cache>/lab/`), never in git:
///
///     rootfs.tar              the mmdebstrap tarball
///     rootfs.tar.sha256       its sha256, `sha256sum -c` format: the lab's id
///     rootfs.tar.manifest     package=version of every installed package (dpkg-query)
///     rootfs.tar.recipe       the recipe fingerprint it was built from
///     debs/                   downloaded packages, reused by the next build
///     tree/                   the tarball unpacked, plus /opt/ftlab (ftlab, corpus, the pair);
///                             its /etc/ftlab-lab-id, written last, says it is assembled
///     tree.unpacked           the id of the tarball the tree was unpacked from, written once
///                             the unpack is complete
public struct ContainerRootfs: Sendable, Equatable {
    public var directory: String

    public init(cache: CacheDirectory = CacheDirectory()) {
        directory = cache.root + "/lab"
    }

    public var tarball: String { directory + "/rootfs.tar" }
    public var checksumFile: String { tarball + ".sha256" }
    public var manifest: String { tarball + ".manifest" }
    public var recipeFile: String { tarball + ".recipe" }
    public var debCache: String { directory + "/debs" }
    public var tree: String { directory + "/tree" }
    public var unpackedFile: String { directory + "/tree.unpacked" }
    public var log: String { directory + "/rootfs.log" }

    /// Inside the lab: ftlab's home, holding `bin/ftlab`, `Workloads/`, `lab/` and the cache.
    public static let home = "/opt/ftlab"
    /// Inside the lab: the cache (`FTLAB_CACHE`) holding the pinned pair.
    public static let cache = home + "/cache"
    /// Inside the lab: the file carrying the lab's id, read into the CSV's `lab` column.
    public static let idFile = RunIdentity.labIDFile

    /// The sha256 recorded for the tarball when it was built.
    public func recordedSHA256() throws(ContainerError) -> String {
        guard FileManager.default.fileExists(atPath: tarball) else { throw .notBuilt(tarball: tarball) }
        guard let data = FileManager.default.contents(atPath: checksumFile),
            let sha = Self.parseChecksum(String(decoding: data, as: UTF8.self))
        else { throw .badChecksumFile(path: checksumFile) }
        return sha
    }

    /// The tarball's id after checking it: refuses a tarball whose sha256 is not the recorded one.
    public func verifiedSHA256() async throws(ContainerError) -> String {
        let expected = try recordedSHA256()
        let actual = await LabSource.sha256(of: tarball) ?? "(unreadable)"
        guard actual == expected else { throw .checksumMismatch(tarball: tarball, expected: expected, actual: actual) }
        return expected
    }

    /// The id of the lab unpacked in `tree`, or nil when there is none.
    public func treeID() -> String? {
        guard let data = FileManager.default.contents(atPath: tree + Self.idFile) else { return nil }
        let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// The id of the tarball the tree was completely unpacked from, or nil (also when the tree is
    /// gone); a tree assembled before `tree.unpacked` existed counts by its id file.
    public func unpackedID() -> String? {
        guard FileManager.default.fileExists(atPath: tree) else { return nil }
        guard let data = FileManager.default.contents(atPath: unpackedFile) else { return treeID() }
        let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// `sha256sum` output for the tarball: `HEX  rootfs.tar`.
    package static func checksumLine(_ sha256: String) -> String { "\(sha256)  rootfs.tar\n" }

    /// The sha256 in `sha256sum`-format text (the first word of its first line), if it is one.
    package static func parseChecksum(_ text: String) -> String? {
        let word = text.split(whereSeparator: \.isWhitespace).first.map { String($0).lowercased() }
        return word.flatMap { LabSource.isSHA256($0) ? $0 : nil }
    }
}
