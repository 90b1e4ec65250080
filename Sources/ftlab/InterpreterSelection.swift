import FTLab
import Foundation

/// Resolves `--python` values to interpreters (temporary: paths only until the lab resolver lands).
enum InterpreterSelection {
    static func resolve(_ specs: [String]) throws -> [InterpreterChoice] {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        let lab = [
            InterpreterChoice(label: "cpython-3.13.5", path: "\(home)/.cache/ftlab/pythons/cpython-3.13.5/bin/python3.13"),
            InterpreterChoice(label: "cpython-3.13.5t", path: "\(home)/.cache/ftlab/pythons/cpython-3.13.5t/bin/python3.13t"),
        ]
        if specs.isEmpty { return lab }
        return specs.map { InterpreterChoice(label: ($0 as NSString).lastPathComponent, path: $0) }
    }
}
