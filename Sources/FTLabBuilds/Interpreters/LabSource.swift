import Foundation
import FTLabCore
import FTLabInterpreters

/// Where a lab build's CPython source tarball comes from.
public enum LabSource: Sendable, Equatable {
    /// A Debian source package fetched with apt-get under the lab's own sources list
    /// (`lab/apt/<suite>-src.list`); the system's apt lists are never touched.
    case debian(package: String, suite: String, file: String, sha256: String)
    /// A tarball URL (a python.org release, for example), downloaded with curl.
    case url(String, sha256: String)
    /// A tarball on this machine (`--source FILE`), copied into the cache.
    case file(String, sha256: String)
    /// A locked file with no origin to download it from: only a mirror folder (or the cache)
    /// holds it, e.g. a release's source repacked from a repository; `provenance` says where
    /// its contents come from and is recorded in every build's manifest.
    case mirrored(file: String, sha256: String, provenance: String)

    /// The expected sha256 of the tarball, lowercase hex.
    public var sha256: String {
        switch self {
        case .debian(_, _, _, let sha256), .url(_, let sha256), .file(_, let sha256), .mirrored(_, let sha256, _):
            sha256.lowercased()
        }
    }

    /// The tarball's file name in `<cache>/sources` and in a mirror folder.
    public var fileName: String {
        switch self {
        case .debian(_, _, let file, _), .mirrored(let file, _, _): file
        case .url(let url, _): String(url.split(separator: "/").last ?? "source.tar.xz")
        case .file(let path, _): (path as NSString).lastPathComponent
        }
    }

    /// Where it comes from, for messages: "Debian trixie (python3.13)", "www.python.org", a path.
    public var origin: String {
        switch self {
        case .debian(let package, let suite, _, _): "Debian \(suite) (\(package))"
        case .url(let url, _): URL(string: url)?.host ?? url
        case .file(let path, _): path
        case .mirrored(let file, let sha256, _): "\(file) (sha256 \(sha256.prefix(8))…, from a mirror folder only)"
        }
    }

    package var manifestEntry: LabManifest.Source {
        switch self {
        case .debian(let package, let suite, let file, _):
            LabManifest.Source(kind: "debian-source-package", package: "\(package) (\(suite))", file: file, sha256: sha256)
        case .url(let url, _):
            LabManifest.Source(kind: "url", url: url, file: fileName, sha256: sha256)
        case .file(let path, _):
            LabManifest.Source(kind: "file", url: "file://\(path)", file: fileName, sha256: sha256)
        case .mirrored(let file, _, let provenance):
            LabManifest.Source(kind: "mirrored", file: file, sha256: sha256, provenance: provenance)
        }
    }

    /// The tools fetching needs, besides the build tools.
    package var fetchTools: [String] {
        switch self {
        case .debian: ["apt-get"]
        case .url: ["curl"]
        case .file, .mirrored: []
        }
    }

    /// Gets the tarball from its origin into `<sources>/partial`, checks its sha256, and only
    /// then renames it to `<sources>/<file>`, so a cut-off or damaged download never sits in the
    /// cache under its final name; returns that path. A file whose sha256 does not match is kept
    /// aside in `<sources>/rejected/` and refused. Called holding the cache lock.
    package func fetch(into cache: CacheDirectory, log: BuildLog) async throws(LabError) -> String {
        let partial = "\(cache.sources)/partial"
        try? FileManager.default.removeItem(atPath: partial)
        try? FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: partial) }
        let download = "\(partial)/\(fileName)"
        switch self {
        case .debian(let package, let suite, let file, _):
            let list = try LabPythons.aptSourcesList(suite: suite)
            try? FileManager.default.createDirectory(atPath: cache.aptLists + "/partial", withIntermediateDirectories: true)
            let options = [
                "-o", "Dir::Etc::SourceList=\(list)", "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", "Dir::State::Lists=\(cache.aptLists)", "-o", "APT::Sandbox::User=root",
            ]
            guard await log.run("apt-get", options + ["update"]),
                await log.run("apt-get", options + ["source", "--download-only", package], in: partial)
            else { throw .downloadFailed(origin: origin, detail: log.tail(3), log: log.path) }
            guard FileManager.default.fileExists(atPath: download) else {
                throw .sourceFileMissing(file: file, directory: partial, log: log.path)
            }
        case .url(let url, _):
            let arguments = ["-fL", "--retry", "2", "--connect-timeout", "15", "--no-progress-meter", "-o", download, url]
            guard await log.run("curl", arguments) else {
                throw .downloadFailed(origin: origin, detail: log.tail(2), log: log.path)
            }
        case .file(let path, _):
            do {
                try FileManager.default.copyItem(atPath: path, toPath: download)
            } catch {
                throw .noSuchSource(path)
            }
        case .mirrored:
            throw .downloadFailed(origin: origin, detail: "no origin to download it from", log: log.path)
        }
        return try await Self.place(download, as: self, in: cache)
    }

    /// Verifies `file` against `source`'s sha256 and moves it to `<sources>/<file name>`; a file
    /// that does not match goes to `<sources>/rejected/` instead, and the mismatch is thrown.
    package static func place(_ file: String, as source: LabSource, in cache: CacheDirectory) async throws(LabError) -> String {
        let target = "\(cache.sources)/\(source.fileName)"
        let actual = await sha256(of: file) ?? "(unreadable)"
        guard actual == source.sha256 else {
            let rejected = "\(cache.sources)/rejected/\(source.fileName).\(actual.prefix(12))"
            try? FileManager.default.createDirectory(atPath: "\(cache.sources)/rejected", withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: rejected)
            let kept = (try? FileManager.default.moveItem(atPath: file, toPath: rejected)) != nil
            throw .checksumMismatch(file: source.fileName, expected: source.sha256, actual: actual, keptAt: kept ? rejected : nil)
        }
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.move(file, to: target)
        } catch {
            throw .cannotWrite(path: target, reason: error.reason)
        }
        return target
    }

    /// Refuses `file` unless its sha256 is `expected`.
    package static func verify(_ file: String, sha256 expected: String) async throws(LabError) {
        let actual = await sha256(of: file) ?? "(unreadable)"
        guard actual == expected.lowercased() else {
            throw .checksumMismatch(file: file, expected: expected.lowercased(), actual: actual, keptAt: nil)
        }
    }

    /// The sha256 of `file` in lowercase hex, via `sha256sum`.
    package static func sha256(of file: String) async -> String? {
        guard let output = await HostCommand("sha256sum", ["--", file]).run(), output.succeeded else { return nil }
        return output.standardOutput.split(separator: " ").first.map(String.init)
    }

    /// Whether `text` looks like a sha256: 64 hex digits.
    package static func isSHA256(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy(\.isHexDigit)
    }
}
