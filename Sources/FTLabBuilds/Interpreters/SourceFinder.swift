import Foundation
import FTLabCore

/// Gets a release's source tarball, trying in order: the cache (`<cache>/sources`, where a
/// fetched tarball stays for good), the mirror folder (by file name), then each source's origin.
/// Every file is checked against its locked sha256 wherever it came from.
package struct SourceFinder {
    package let cache: CacheDirectory
    /// `--source-dir` or `$FTLAB_SOURCE_DIR`: tarballs by file name, for labs without a network.
    package let mirror: String?
    package let reporter: PhaseReporter

    /// The environment variable that names the mirror folder when `--source-dir` is not given.
    package static let mirrorVariable = "FTLAB_SOURCE_DIR"

    /// A verified tarball and the source it matched.
    package struct Found: Sendable {
        package var tarball: String
        package var source: LabSource
        /// "cache", "mirror folder DIR" or the origin.
        package var via: String
    }

    /// The tarball of `version` from one of `sources`. An origin that cannot be reached adds a
    /// line to the error and the next source is tried; a file that does not match its sha256
    /// stops everything (it is kept aside, never used).
    package func find(_ version: String, sources: [LabSource]) async throws(LabError) -> Found {
        // Two acceptable files may share a name (python.org's tarball and a repacked copy of its
        // contents): a file is matched against every source of its name, by digest.
        let names = sources.map(\.fileName).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for name in names {
            let cached = "\(cache.sources)/\(name)"
            guard FileManager.default.fileExists(atPath: cached) else { continue }
            let digest = await LabSource.sha256(of: cached)
            if let source = sources.first(where: { $0.fileName == name && $0.sha256 == digest }) {
                return Found(tarball: cached, source: source, via: "cache")
            }
            reporter.say("source: \(cached) does not match its sha256; setting it aside")
            if let source = sources.first(where: { $0.fileName == name }) {
                _ = try? await LabSource.place(cached, as: source, in: cache)
            }
        }
        if let mirror {
            for name in names {
                let candidate = "\(mirror)/\(name)"
                guard FileManager.default.fileExists(atPath: candidate) else { continue }
                let digest = await LabSource.sha256(of: candidate) ?? "(unreadable)"
                guard let source = sources.first(where: { $0.fileName == name && $0.sha256 == digest }) else {
                    let expected = sources.filter { $0.fileName == name }.map(\.sha256).joined(separator: " or ")
                    throw .checksumMismatch(file: candidate, expected: expected, actual: digest, keptAt: nil)
                }
                let copy = LabSource.file(candidate, sha256: source.sha256)
                let log = BuildLog(path: "\(cache.logs)/download.log")
                let tarball = try await reporter.phase(version, "copy") { () async throws(LabError) in
                    try await copy.fetch(into: cache, log: log)
                }
                return Found(tarball: tarball, source: source, via: "mirror folder \(mirror)")
            }
        }
        var attempts: [String] = []
        for source in sources {
            if case .mirrored = source {
                attempts.append("\(source.origin)\(mirror == nil ? ": no --source-dir given" : ": not in the mirror folder")")
                continue
            }
            for tool in source.fetchTools where findOnPath(tool) == nil {
                attempts.append("\(source.origin): \(tool) is not installed")
            }
            if source.fetchTools.contains(where: { findOnPath($0) == nil }) { continue }
            let log = BuildLog(path: "\(cache.logs)/download.log")
            do throws(LabError) {
                let tarball = try await reporter.phase(version, "download") {
                    () async throws(LabError) in try await source.fetch(into: cache, log: log)
                }
                return Found(tarball: tarball, source: source, via: source.origin)
            } catch {
                switch error {
                case .downloadFailed(let origin, let detail, _):
                    attempts.append("\(origin): \(Self.firstLine(detail))")
                case .sourceFileMissing(let file, _, _):
                    attempts.append("\(source.origin): no \(file) there")
                case .aptSourcesNotFound(let file, _):
                    attempts.append("\(source.origin): \(file) not found (run ftlab from its checkout)")
                default:
                    throw error
                }
            }
        }
        throw .unobtainable(version: version, files: Self.fileNames(sources), attempts: attempts, mirror: mirror)
    }

    /// The acceptable files by name, for messages; a name that two sources share lists both digests.
    package static func fileNames(_ sources: [LabSource]) -> [String] {
        let names = sources.map(\.fileName).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return names.map { name in
            let digests = sources.filter { $0.fileName == name }.map { String($0.sha256.prefix(8)) + "…" }
            return digests.count > 1 ? "\(name) (sha256 \(digests.joined(separator: " or ")))" : name
        }
    }

    private static func firstLine(_ text: String) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let line = lines.last(where: { $0.contains("curl:") || $0.hasPrefix("E:") }) ?? lines.last ?? "failed"
        // curl says how long it tried ("after 12 ms"): not part of the reason, and it would keep
        // two releases skipped for the same reason from reading as one.
        return line.replacingOccurrences(of: #" after \d+ ms"#, with: "", options: .regularExpression)
    }
}
