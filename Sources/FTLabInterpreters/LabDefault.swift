import Foundation
import FTLabCore

/// The lab's default pair: the release `ftlab lab pythons` (without `--version`) chose, and why
/// (`<cache>/pythons/default.json`). `--python lab` means this pair.
public struct LabDefault: Sendable, Codable, Equatable {
    /// `X.Y.Z`.
    public var version: String
    /// Why this release, e.g. "3.15.0: www.python.org unreachable; built 3.13.5 from Debian trixie".
    public var reason: String

    public init(version: String, reason: String) {
        self.version = version
        self.reason = reason
    }

    package static func path(_ cache: CacheDirectory) -> String { "\(cache.pythons)/default.json" }

    /// The recorded default, or nil when `ftlab lab pythons` never chose one in this cache.
    public static func read(cache: CacheDirectory = CacheDirectory()) -> LabDefault? {
        guard let data = FileManager.default.contents(atPath: path(cache)) else { return nil }
        return try? JSONDecoder().decode(LabDefault.self, from: data)
    }

    /// Records the default (written whole or not at all).
    package func write(cache: CacheDirectory) throws(AtomicPlacement.Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data()
        try? FileManager.default.createDirectory(atPath: cache.pythons, withIntermediateDirectories: true)
        try AtomicPlacement.write(data + Data("\n".utf8), to: Self.path(cache))
    }
}

extension LabPythons {
    /// Versions of which both builds are finished in the cache, oldest first.
    public static func builtVersions(cache: CacheDirectory = CacheDirectory()) -> [String] {
        let labels = Set(builds(cache: cache).map(\.label))
        let versions = Set(labels.compactMap { LabTarget(label: $0)?.version })
        return versions.filter { version in LabTarget.pair(version).allSatisfy { labels.contains($0.label) } }
            .sorted(by: ReleaseNumber.precedes)
    }

    /// The release `--python lab` means: the recorded default, else the newest built pair, else
    /// the pinned release (which then reports itself as not built).
    public static func defaultVersion(cache: CacheDirectory = CacheDirectory()) -> String {
        LabDefault.read(cache: cache)?.version ?? builtVersions(cache: cache).last ?? pinnedVersion
    }
}
