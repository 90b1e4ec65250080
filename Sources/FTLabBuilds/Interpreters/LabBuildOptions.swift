import Foundation
import FTLabCore
import FTLabInterpreters

/// What `ftlab lab pythons` was asked to build, checked: which releases, from where, and how.
public struct LabBuildRequest: Sendable, Equatable {
    /// Which releases to build.
    public enum Releases: Sendable, Equatable {
        /// The newest locked release whose source this machine can get (no `--version`).
        case newestObtainable
        /// `--version`: `X.Y`, `X.Y.Z`, a comma-separated list of them, or `all`.
        case locked(String)
        /// `--source FILE|URL`: one tarball outside the lock; `version` is `--version` if given
        /// (checked against the tarball's own).
        case source(LabSource, version: String?)
    }

    public var releases: Releases
    /// The mirror folder: `--source-dir`, else `$FTLAB_SOURCE_DIR`.
    public var mirror: String?
    public var settings: LabBuildSettings
    /// Rebuild even when a verified build exists.
    public var force: Bool
    /// Get and verify the sources, build nothing.
    public var fetchOnly: Bool

    /// Checks the command-line values. `--source` is a file on this machine or a URL; it needs
    /// `--sha256` unless it is a file whose digest the lock knows (`lockedDigests`).
    public init(
        version: String? = nil, source: String? = nil, sha256: String? = nil, sourceDir: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        optimizations: Bool = false, jobs: Int? = nil, force: Bool = false, fetchOnly: Bool = false,
        lockedDigests: Set<String> = []
    ) async throws(LabError) {
        if let sha256, !LabSource.isSHA256(sha256) { throw .badChecksum(sha256) }
        if let version, version != "all" {
            for part in version.split(separator: ",") {
                let parts = part.split(separator: ".")
                guard (2...3).contains(parts.count), parts.allSatisfy({ Int($0) != nil }) else {
                    throw .badVersion(String(part), reason: "expected X.Y (a series), X.Y.Z (a release) or all")
                }
                try LabBuildRequest.checkFreeThreaded(String(part))
            }
        }
        if let source {
            if let version, !LabTarget.isVersion(version) {
                throw .badVersion(version, reason: "with --source, give the one X.Y.Z release the tarball holds (or leave it out)")
            }
            releases = .source(try await Self.source(source, sha256: sha256, lockedDigests: lockedDigests), version: version)
        } else if sha256 != nil {
            throw .incompleteSource("(none)")
        } else {
            releases = version.map { .locked($0) } ?? .newestObtainable
        }
        if let directory = sourceDir ?? environment[SourceFinder.mirrorVariable].flatMap({ $0.isEmpty ? nil : $0 }) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .badMirror(directory)
            }
            mirror = InterpreterProbe.absolute(directory)
        } else {
            mirror = nil
        }
        settings = LabBuildSettings(optimizations: optimizations, jobs: jobs)
        self.force = force
        self.fetchOnly = fetchOnly
    }

    /// Refuses a release before 3.13: free-threaded builds (`--disable-gil`) start there.
    package static func checkFreeThreaded(_ version: String) throws(LabError) {
        guard !ReleaseNumber.precedes(version, "3.13") else {
            throw .badVersion(version, reason: "free-threaded builds (--disable-gil) need CPython 3.13 or newer")
        }
    }

    /// `--source` as a `LabSource`: an existing file, or a URL (`scheme://...`).
    private static func source(_ value: String, sha256: String?, lockedDigests: Set<String>) async throws(LabError) -> LabSource {
        if FileManager.default.fileExists(atPath: value) {
            let path = InterpreterProbe.absolute(value)
            if let sha256 { return .file(path, sha256: sha256) }
            guard let digest = await LabSource.sha256(of: path), lockedDigests.contains(digest) else {
                throw .incompleteSource(value)
            }
            return .file(path, sha256: digest)
        }
        guard value.contains("://") else { throw .noSuchSource(value) }
        guard let sha256 else { throw .incompleteSource(value) }
        return .url(value, sha256: sha256)
    }
}

/// How every pair is built: the same for both builds of a release.
public struct LabBuildSettings: Sendable, Equatable {
    /// Adds `LabPythons.optimizationFlags` (PGO + LTO).
    public var optimizations: Bool
    /// Parallel make jobs.
    public var jobs: Int

    public init(optimizations: Bool = false, jobs: Int? = nil) {
        self.optimizations = optimizations
        self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    }
}
