import Foundation
import FTLabCore

/// Turns a `--python` value into the interpreters it names, each probed and checked.
public enum InterpreterResolver {
    /// Resolves `spec`, one of:
    /// - a path (it contains "/"), e.g. `/usr/bin/python3.13`;
    /// - `lab`: the pinned pair, GIL build first;
    /// - a lab label: `cpython-3.13.5`, `cpython-3.13.5t`, or another built `cpython-X.Y.Z[t]`;
    /// - a name on PATH, e.g. `python3.13t`.
    public static func resolve(_ spec: String, cache: LabCache = LabCache()) async throws(InterpreterError) -> [Interpreter] {
        if spec.contains("/") {
            return [try await probePath(spec, cache: cache)]
        }
        if spec == "lab" {
            var pair: [Interpreter] = []
            for target in LabTarget.pair(LabPythons.pinnedVersion) {
                pair.append(try await LabPythons.interpreter(target, cache: cache))
            }
            return pair
        }
        if let target = LabTarget(label: spec) {
            return [try await LabPythons.interpreter(target, cache: cache)]
        }
        if !spec.isEmpty, let path = findOnPath(spec) {
            return [try await InterpreterProbe.probe(path, label: spec)]
        }
        let built = LabPythons.builds(cache: cache).map(\.label)
        let known = LabPythons.pinnedLabels + built.filter { !LabPythons.pinnedLabels.contains($0) } + ["lab"]
        throw .unknownLabel(spec, known: known)
    }

    /// Probes a path; an executable inside a lab prefix keeps its lab label and source sha256.
    /// One inside an unfinished lab build is refused: it may be half installed.
    private static func probePath(_ path: String, cache: LabCache) async throws(InterpreterError) -> Interpreter {
        if let folder = cache.unfinishedBuild(containing: InterpreterProbe.absolute(path)) {
            throw .unfinishedBuild(path: path, folder: folder)
        }
        let prefix = ((InterpreterProbe.absolute(path) as NSString).deletingLastPathComponent as NSString)
            .deletingLastPathComponent
        let manifest = LabManifest.read(at: "\(prefix)/\(LabManifest.fileName)")
        return try await InterpreterProbe.probe(
            path, label: manifest?.label ?? path, sourceSHA256: manifest?.source.sha256)
    }
}
