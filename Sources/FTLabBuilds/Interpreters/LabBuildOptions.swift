import Foundation
import FTLabRunner

/// What `ftlab lab pythons` was asked to build: a CPython version, its source and how.
public struct LabBuildOptions: Sendable, Equatable {
    public var version: String
    public var source: LabSource
    /// Adds `LabPythons.optimizationFlags` (PGO + LTO).
    public var optimizations: Bool
    /// Parallel make jobs.
    public var jobs: Int
    /// Rebuild even when a verified build exists.
    public var force: Bool

    /// Checks the command-line values. Without `sourceURL`, only the pinned version is accepted;
    /// with it, `sha256` is required and the version defaults to the one in the file name.
    public init(
        version: String? = nil, sourceURL: String? = nil, sha256: String? = nil,
        optimizations: Bool = false, jobs: Int? = nil, force: Bool = false
    ) throws(LabError) {
        switch (sourceURL, sha256) {
        case (nil, nil):
            let version = version ?? LabPythons.pinnedVersion
            guard version == LabPythons.pinnedVersion else {
                throw .badVersion(
                    version, reason: "only \(LabPythons.pinnedVersion) has a pinned source (Debian trixie python3.13);"
                        + " for another version pass --source-url URL --sha256 HEX")
            }
            self.version = version
            source = LabPythons.pinnedSource
        case (let url?, let sha256?):
            guard LabSource.isSHA256(sha256) else { throw .badChecksum(sha256) }
            source = .url(url, sha256: sha256)
            guard let version = version ?? source.versionInFileName else { throw .versionNotInURL(url) }
            self.version = version
        default:
            throw .incompleteSource
        }
        guard LabTarget.isVersion(self.version) else {
            throw .badVersion(self.version, reason: "expected X.Y.Z, e.g. 3.13.5")
        }
        guard !self.version.split(separator: ".").compactMap({ Int($0) }).lexicographicallyPrecedes([3, 13]) else {
            throw .badVersion(self.version, reason: "free-threaded builds (--disable-gil) need CPython 3.13 or newer")
        }
        self.optimizations = optimizations
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        self.force = force
    }
}
