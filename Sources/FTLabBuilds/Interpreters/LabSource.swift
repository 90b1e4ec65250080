import Foundation
import FTLabCore
import FTLabRunner

/// Where a lab build's CPython source tarball comes from.
public enum LabSource: Sendable, Equatable {
    /// A Debian source package fetched with apt-get under the lab's own sources list
    /// (`lab/apt/<suite>-src.list`); the system's apt lists are never touched.
    case debian(package: String, suite: String, file: String, sha256: String)
    /// A tarball URL (a python.org release, for example), downloaded with curl.
    case url(String, sha256: String)

    /// The expected sha256 of the tarball, lowercase hex.
    public var sha256: String {
        switch self {
        case .debian(_, _, _, let sha256), .url(_, let sha256): sha256.lowercased()
        }
    }

    /// The tarball's file name in `<cache>/sources`.
    public var fileName: String {
        switch self {
        case .debian(_, _, let file, _): file
        case .url(let url, _): String(url.split(separator: "/").last ?? "source.tar.xz")
        }
    }

    /// The version in a python.org-style file name (`Python-3.14.0.tar.xz` -> "3.14.0"), if any.
    public var versionInFileName: String? {
        guard fileName.hasPrefix("Python-") else { return nil }
        let version = fileName.dropFirst("Python-".count).split(separator: ".").prefix(3).joined(separator: ".")
        return LabTarget.isVersion(version) ? version : nil
    }

    package var manifestEntry: LabManifest.Source {
        switch self {
        case .debian(let package, let suite, let file, _):
            LabManifest.Source(kind: "debian-source-package", package: "\(package) (\(suite))", file: file, sha256: sha256)
        case .url(let url, _):
            LabManifest.Source(kind: "url", url: url, file: fileName, sha256: sha256)
        }
    }

    /// The tools fetching needs, besides the build tools.
    package var fetchTools: [String] {
        switch self {
        case .debian: ["apt-get"]
        case .url: ["curl"]
        }
    }

    /// Downloads the tarball into `<sources>/partial`, checks its sha256, and only then renames it
    /// to `<sources>/<file>`, so a cut-off or damaged download never sits in the cache under its
    /// final name; returns that path. Called holding the cache lock.
    package func fetch(into cache: LabCache, log: BuildLog) async throws(LabError) -> String {
        let target = "\(cache.sources)/\(fileName)"
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
            else { throw .phaseFailed(label: file, phase: "download", log: log.path, tail: log.tail()) }
            guard FileManager.default.fileExists(atPath: download) else {
                throw .sourceFileMissing(file: file, directory: partial, log: log.path)
            }
        case .url(let url, _):
            guard await log.run("curl", ["-fL", "--retry", "3", "--no-progress-meter", "-o", download, url]) else {
                throw .phaseFailed(label: fileName, phase: "download", log: log.path, tail: log.tail())
            }
        }
        try await Self.verify(download, sha256: sha256)
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.move(download, to: target)
        } catch {
            throw .cannotWrite(path: target, reason: error.reason)
        }
        return target
    }

    /// Refuses `file` unless its sha256 is `expected`.
    package static func verify(_ file: String, sha256 expected: String) async throws(LabError) {
        let actual = await sha256(of: file) ?? "(unreadable)"
        guard actual == expected.lowercased() else {
            throw .checksumMismatch(file: file, expected: expected.lowercased(), actual: actual)
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
