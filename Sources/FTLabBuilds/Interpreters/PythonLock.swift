import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters

/// `lab/pythons.toml`: the CPython releases the lab may build, each with the source files it
/// accepts and their sha256, newest release first.
public struct PythonLock: Sendable, Equatable {
    /// One release and the files that are acceptable as its source.
    public struct Release: Sendable, Equatable {
        /// `X.Y.Z`.
        public var version: String
        /// Acceptable sources, preferred first; all of them name the same release.
        public var sources: [LabSource]
        /// What the release changes for free-threading, in a line (shown by `lab pythons --list`).
        public var notes: String
        /// Whether this project's CI builds and tests the release end to end (`verified = true`).
        /// Without `--version`, only verified releases become the default pair.
        public var verified: Bool = false
        /// `X.Y`.
        public var series: String { version.split(separator: ".").prefix(2).joined(separator: ".") }
    }

    /// Newest first.
    public var releases: [Release]
    /// Where the lock was read from.
    public var path: String

    /// The lock's path inside a checkout.
    public static let relativePath = "lab/pythons.toml"

    /// Reads the lock from the checkout ftlab runs from.
    public static func load() throws(LabError) -> PythonLock {
        guard let path = CheckoutFile.locate(relativePath) else {
            throw .lockNotFound(file: relativePath, searched: CheckoutFile.searchStarts)
        }
        return try load(path: path)
    }

    /// Reads and checks the lock at `path`: every source has a 64-hex sha256 and a file name,
    /// versions are `X.Y.Z`, unique, and listed newest first.
    public static func load(path: String) throws(LabError) -> PythonLock {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badLock(path: path, reason: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    package static func parse(_ text: String, path: String) throws(LabError) -> PythonLock {
        let file: LockFile
        do {
            file = try TOMLDocument.decode(LockFile.self, from: text)
        } catch {
            throw .badLock(path: error.location(path), reason: error.reason)
        }
        guard file.schema == 1 else {
            throw .badLock(path: path, reason: "schema \(file.schema) is not the one this ftlab reads (1)")
        }
        var releases: [Release] = []
        for entry in file.release {
            guard LabTarget.isVersion(entry.version) else {
                throw .badLock(path: path, reason: "version '\(entry.version)' is not X.Y.Z")
            }
            guard !releases.contains(where: { $0.version == entry.version }) else {
                throw .badLock(path: path, reason: "\(entry.version) is listed twice")
            }
            if let previous = releases.last, !ReleaseNumber.precedes(entry.version, previous.version) {
                throw .badLock(path: path, reason: "\(entry.version) comes after \(previous.version): list releases newest first")
            }
            guard !entry.source.isEmpty else {
                throw .badLock(path: path, reason: "\(entry.version) has no [[release.source]]")
            }
            let sources = try entry.source.map { (source: LockFile.Source) throws(LabError) -> LabSource in
                guard LabSource.isSHA256(source.sha256) else {
                    throw .badLock(path: path, reason: "\(entry.version): sha256 '\(source.sha256)' is not 64 hex digits")
                }
                switch (source.url, source.debian, source.suite, source.file, source.provenance) {
                case (let url?, nil, nil, nil, nil):
                    return .url(url, sha256: source.sha256)
                case (nil, let package?, let suite?, let file?, nil):
                    return .debian(package: package, suite: suite, file: file, sha256: source.sha256)
                case (nil, nil, nil, let file?, let provenance?):
                    return .mirrored(file: file, sha256: source.sha256, provenance: provenance)
                default:
                    throw .badLock(path: path, reason: "\(entry.version): a source is `url`, `debian` + `suite` + `file`,"
                        + " or `file` + `provenance` (a file only a mirror folder holds)")
                }
            }
            releases.append(Release(version: entry.version, sources: sources, notes: entry.notes ?? "", verified: entry.verified ?? false))
        }
        guard !releases.isEmpty else { throw .badLock(path: path, reason: "no [[release]]") }
        return PythonLock(releases: releases, path: path)
    }

    /// The releases a `--version` value names: `all`, or a comma-separated list of `X.Y`
    /// (the newest locked release of that series) and `X.Y.Z` (that release); oldest first.
    public func releases(matching spec: String) throws(LabError) -> [Release] {
        try candidates(matching: spec).compactMap(\.first)
    }

    /// What each part of a `--version` value may build, oldest part first: for `X.Y.Z` that
    /// release alone, for `X.Y` every locked release of the series, newest first (the first
    /// whose source can be had is built), for `all` every release alone.
    public func candidates(matching spec: String) throws(LabError) -> [[Release]] {
        if spec == "all" { return releases.reversed().map { [$0] } }
        var chosen: [[Release]] = []
        for part in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let exact = releases.filter { $0.version == part }
            let matches = exact.isEmpty ? releases.filter { $0.series == part } : exact
            guard !matches.isEmpty else { throw .unknownVersion(part, known: releases.map(\.version)) }
            if !chosen.contains(matches) { chosen.append(matches) }
        }
        guard !chosen.isEmpty else { throw .unknownVersion(spec, known: releases.map(\.version)) }
        return chosen.sorted { ReleaseNumber.precedes($0[0].version, $1[0].version) }
    }

    /// The releases this project's CI builds and tests end to end, oldest first.
    public var verifiedVersions: [String] { releases.filter(\.verified).map(\.version).reversed() }

    /// The locked release whose sources include one with `sha256`, if any.
    public func release(withDigest sha256: String) -> Release? {
        releases.first { $0.sources.contains { $0.sha256 == sha256.lowercased() } }
    }

    private struct LockFile: Decodable {
        var schema: Int
        var release: [Entry]

        struct Entry: Decodable {
            var version: String
            var notes: String?
            var verified: Bool?
            var source: [Source]
        }

        struct Source: Decodable {
            var url: String?
            var debian: String?
            var suite: String?
            var file: String?
            var sha256: String
            var digestFrom: String?
            var provenance: String?

            enum CodingKeys: String, CodingKey {
                case url, debian, suite, file, sha256, provenance
                case digestFrom = "digest_from"
            }
        }
    }
}
