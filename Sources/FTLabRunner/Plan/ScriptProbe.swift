import Foundation
import FTLabCore
import FTLabInterpreters
import FTLabHarness

/// A variant one interpreter cannot run, and why (e.g. ftscalingbench registers
/// `create_frozendict` only where `builtins.frozendict` exists).
public struct UnsupportedVariant: Sendable, Equatable {
    public var interpreterPath: String
    public var workload: String
    public var variant: String
    public var reason: String
}

/// Asks each interpreter which functions a `[script]` workload's script registers on it
/// (`python workload.py --registered SCRIPT`), so the plan skips the others instead of
/// recording failures.
public enum ScriptProbe {
    /// The selected variants of `[script]` workloads that `interpreters` cannot run.
    public static func unsupported(_ selection: [(workload: Workload, variant: String)],
                                   interpreters: [InterpreterChoice]) async -> [UnsupportedVariant] {
        var out: [UnsupportedVariant] = []
        var seen = Set<String>()
        for workload in selection.map(\.workload) where workload.script?.located != nil && seen.insert(workload.name).inserted {
            let variants = selection.filter { $0.workload.name == workload.name }.map(\.variant)
            for interpreter in interpreters where interpreter.build != .native {
                let registered = await Self.registered(workload, interpreter: interpreter.path)
                for variant in variants {
                    let reason: String? = switch registered {
                    case .success(let (version, names)): names.contains(variant) ? nil
                        : "the script does not register \(variant) on CPython \(version) (it needs an API that version lacks)"
                    case .failure(let problem): problem.text
                    }
                    if let reason {
                        out.append(UnsupportedVariant(interpreterPath: interpreter.path, workload: workload.name,
                                                      variant: variant, reason: reason))
                    }
                }
            }
        }
        return out
    }

    package struct Problem: Error { var text: String }

    /// (python_version, registered names) as the interpreter sees the script.
    package static func registered(_ workload: Workload, interpreter: String) async -> Result<(String, [String]), Problem> {
        guard let script = workload.script?.located else { return .failure(Problem(text: "no script")) }
        let module = (workload.directory as NSString).appendingPathComponent("workload.py")
        guard let output = await HostCommand(interpreter, ["-I", module, "--registered", script.path]).run() else {
            return .failure(Problem(text: "\(interpreter) could not be started"))
        }
        struct Answer: Decodable { var python_version: String; var registered: [String] }
        guard output.succeeded,
              let answer = try? JSONDecoder().decode(Answer.self, from: Data(output.standardOutput.utf8)) else {
            let tail = output.standardError.split(separator: "\n").suffix(2).joined(separator: " ")
            return .failure(Problem(text: "\(script.path) does not load on this interpreter: \(tail)"))
        }
        return .success((answer.python_version, answer.registered))
    }
}
