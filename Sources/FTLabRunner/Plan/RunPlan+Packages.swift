import Foundation
import FTLabInterpreters
import FTLabHarness

/// The venvs a run uses, one per (interpreter, requirements), as the run header shows them.
public struct PackagePreparation: Sendable {
    /// Each ready venv with the interpreter label it was made for.
    public var ready: [(label: String, set: PackageSet)] = []
    /// Each failed install: the interpreter label and the reason (pip's last lines).
    public var failures: [(label: String, reason: String)] = []

    /// The run header's lines (one per venv, one per failure).
    public var lines: [String] {
        ready.map { $0.set.summary(label: $0.label) } + failures.map { "\($0.label): packages FAILED: \($0.reason)" }
    }

    /// Writes each freeze (and each failure) into the run's log folder:
    /// `packages-<label>-<identity>.txt`, `packages-<label>-failed.txt`.
    public func write(to logDirectory: String) {
        try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        for (label, set) in ready {
            let text = "# \(set.summary(label: label))\n" + set.freeze.joined(separator: "\n") + "\n"
            let name = "packages-\(label)-\(set.identity)".asFileName + ".txt"
            FileManager.default.createFile(atPath: (logDirectory as NSString).appendingPathComponent(name), contents: Data(text.utf8))
        }
        for (label, reason) in failures {
            let name = "packages-\(label)-failed".asFileName + ".txt"
            FileManager.default.createFile(atPath: (logDirectory as NSString).appendingPathComponent(name), contents: Data((reason + "\n").utf8))
        }
    }
}

extension RunPlan {
    /// Gives every configuration its venv: the variant's `requirements` installed for its
    /// interpreter (made once per pair, reused across runs), or the user's own venv when
    /// `--python` is a venv's python. An install that fails for some interpreters only (no wheel
    /// for that ABI, a build from source that fails) marks their configurations failed — data,
    /// the rest runs. A requirement no interpreter of the run can install is bad input: thrown
    /// (exit 2) before anything is measured.
    public mutating func preparePackages(installer: PackageInstaller = PackageInstaller(),
                                         announce: (String) -> Void = { _ in }) async throws(PackageError) -> PackagePreparation {
        var preparation = PackagePreparation()
        var done: [String: PackageState] = [:]
        // Per requirement set: installs tried, and the first failure with how many failed.
        var tried: [String: Int] = [:]
        var failed: [String: (first: PackageError, count: Int)] = [:]
        for index in configurations.indices {
            let c = configurations[index]
            guard c.interpreter.build != .native else { continue }
            let requirements = c.requirements
            let key = c.interpreter.path + "\n" + Requirements.normalized(requirements).joined(separator: "\n")
            if let state = done[key] {
                configurations[index].packages = state
                continue
            }
            var state = PackageState.none
            if let own = await PackageInstaller.usersVenv(c.interpreter) {
                // The user's environment is theirs: used as it is, identified by its freeze.
                state = .ready(own)
                preparation.ready.append((c.interpreter.label, own))
            } else if !requirements.isEmpty {
                let setKey = Requirements.normalized(requirements).joined(separator: "\n")
                announce("\(c.interpreter.label): preparing a venv for \(requirements.joined(separator: " "))")
                tried[setKey, default: 0] += 1
                do {
                    let set = try await installer.prepare(c.interpreter, requirements: requirements)
                    state = .ready(set)
                    preparation.ready.append((c.interpreter.label, set))
                } catch {
                    state = .failed(error.description)
                    preparation.failures.append((c.interpreter.label, error.description))
                    failed[setKey] = (failed[setKey]?.first ?? error, (failed[setKey]?.count ?? 0) + 1)
                }
            }
            done[key] = state
            configurations[index].packages = state
        }
        if let (_, entry) = failed.sorted(by: { $0.key < $1.key }).first(where: { $0.value.count == tried[$0.key] }) {
            throw entry.first
        }
        return preparation
    }
}
