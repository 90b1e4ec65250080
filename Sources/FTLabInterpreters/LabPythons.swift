import Foundation
import FTLabCore

/// The lab's interpreters: one pinned CPython source built twice with identical flags,
/// once with `--disable-gil`, into the cache (`<cache>/pythons/<label>`).
public enum LabPythons {
    /// The newest release this project verifies end to end (`verified = true` in the lock: CI
    /// builds and tests it): what `--python lab` means before any default was chosen, and the
    /// pair the integration tests run on. It is the first supported free-threaded series (PEP 779).
    public static let pinnedVersion = "3.14.7"
    /// Labels of the pinned pair, GIL build first: `cpython-3.13.5`, `cpython-3.13.5t`.
    public static var pinnedLabels: [String] { LabTarget.pair(pinnedVersion).map(\.label) }
    /// Where the pinned release's GIL build lives in the cache (built or not).
    public static var pinnedGILExecutable: String {
        CacheDirectory().executable(LabTarget(version: pinnedVersion, build: .gil))
    }
    /// The built members of the pinned pair, probed, GIL build first; missing or broken ones are left out.
    public static func installedPair(cache: CacheDirectory = CacheDirectory()) async -> [Interpreter] {
        var pair: [Interpreter] = []
        for target in LabTarget.pair(pinnedVersion) {
            if let interpreter = try? await interpreter(target, cache: cache) { pair.append(interpreter) }
        }
        return pair
    }

    /// The manifests of every finished lab build in the cache, sorted by label.
    public static func builds(cache: CacheDirectory = CacheDirectory()) -> [LabManifest] {
        let labels = (try? FileManager.default.contentsOfDirectory(atPath: cache.pythons)) ?? []
        return labels.sorted().compactMap { LabManifest.read(at: cache.manifestPath($0)) }
    }

    /// The lab build of `target`, probed; refused as not built when its manifest is missing.
    package static func interpreter(_ target: LabTarget, cache: CacheDirectory) async throws(InterpreterError) -> Interpreter {
        let executable = cache.executable(target)
        guard let manifest = LabManifest.read(at: cache.manifestPath(target.label)) else {
            throw .notBuilt(label: target.label, executable: executable)
        }
        return try await InterpreterProbe.probe(executable, label: manifest.interpreterLabel, sourceSHA256: manifest.source.sha256)
    }
}
