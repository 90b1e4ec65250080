import Foundation
import FTLabCore

/// Turns a `--python` value into the interpreters it names, each probed and checked.
public enum InterpreterResolver {
    /// Resolves `spec`, one of:
    /// - a path (it contains "/"), e.g. `/usr/bin/python3.13`;
    /// - `lab`: the default pair (`LabPythons.defaultVersion`), GIL build first;
    /// - `ladder`: every built pair, oldest release first;
    /// - `X.Y` or `X.Y.Z`: both builds of the newest built release of that series, or of that
    ///   release; without a lab pair, a pair found on the machine (`InterpreterDiscovery`);
    /// - a lab label: `cpython-3.13.5`, `cpython-3.13.5t`, or another built `cpython-X.Y.Z[t]`;
    /// - a name on PATH, e.g. `python3.13t`.
    public static func resolve(_ spec: String, cache: CacheDirectory = CacheDirectory()) async throws(InterpreterError) -> [Interpreter] {
        if spec.contains("/") {
            return [try await probePath(spec, cache: cache)]
        }
        if spec == "lab" {
            return try await pair(LabPythons.defaultVersion(cache: cache), cache: cache)
        }
        if spec == "ladder" {
            let versions = LabPythons.builtVersions(cache: cache)
            guard !versions.isEmpty else { throw .noPairBuilt(spec) }
            var interpreters: [Interpreter] = []
            for version in versions { interpreters += try await pair(version, cache: cache) }
            return interpreters
        }
        if let series = Self.series(spec) {
            let built = LabPythons.builtVersions(cache: cache)
            let matching = LabTarget.isVersion(spec) ? built.filter { $0 == spec } : built.filter { $0.hasPrefix(series + ".") }
            if let version = matching.last { return try await pair(version, cache: cache) }
            let found = InterpreterDiscovery.pairs(await InterpreterDiscovery(cache: cache).find())
            let fitting = found.filter { LabTarget.isVersion(spec) ? $0.version == spec : $0.version.hasPrefix(series + ".") }
            guard let pair = fitting.last else {
                throw .noPairBuilt(spec, built: built, found: found.map { "\($0.version) (\($0.gil.path), \($0.freethreaded.path))" })
            }
            return [try await InterpreterProbe.probe(pair.gil.path, label: pair.gil.path),
                    try await InterpreterProbe.probe(pair.freethreaded.path, label: pair.freethreaded.path)]
        }
        if let target = LabTarget(label: spec) {
            return [try await LabPythons.interpreter(target, cache: cache)]
        }
        if !spec.isEmpty, let path = findOnPath(spec) {
            return [try await InterpreterProbe.probe(path, label: spec)]
        }
        let built = LabPythons.builds(cache: cache).map(\.label)
        let known = LabPythons.pinnedLabels + built.filter { !LabPythons.pinnedLabels.contains($0) } + ["lab", "ladder"]
        throw .unknownLabel(spec, known: known)
    }

    /// Both builds of a lab release, GIL first.
    private static func pair(_ version: String, cache: CacheDirectory) async throws(InterpreterError) -> [Interpreter] {
        var pair: [Interpreter] = []
        for target in LabTarget.pair(version) {
            pair.append(try await LabPythons.interpreter(target, cache: cache))
        }
        return pair
    }

    /// `X.Y` for a spec `X.Y` or `X.Y.Z` (digits only), else nil.
    private static func series(_ spec: String) -> String? {
        let parts = spec.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        return parts.prefix(2).joined(separator: ".")
    }

    /// Probes a path; an executable inside a lab prefix keeps its lab label (`-pgo` added for a
    /// PGO build) and source sha256.
    /// One inside an unfinished lab build is refused: it may be half installed.
    private static func probePath(_ path: String, cache: CacheDirectory) async throws(InterpreterError) -> Interpreter {
        if let folder = cache.unfinishedBuild(containing: InterpreterProbe.absolute(path)) {
            throw .unfinishedBuild(path: path, folder: folder)
        }
        let prefix = ((InterpreterProbe.absolute(path) as NSString).deletingLastPathComponent as NSString)
            .deletingLastPathComponent
        let manifest = LabManifest.read(at: "\(prefix)/\(LabManifest.fileName)")
        return try await InterpreterProbe.probe(
            path, label: manifest?.interpreterLabel ?? path, sourceSHA256: manifest?.source.sha256)
    }
}
