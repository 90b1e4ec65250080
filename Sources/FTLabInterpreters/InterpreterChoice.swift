import Foundation
import FTLabCore
import FTLabHarness
import FTLabNative

/// An interpreter as the runner needs it: a label for the CSV, the executable, and its build
/// (which decides how an allocator can be swapped in).
public struct InterpreterChoice: Sendable, Equatable {
    public var label: String
    public var path: String
    public var build: Interpreter.Build
    /// `X.Y.Z` as probed; nil for `native-swift` and for choices made without a probe.
    public var version: String?

    public init(label: String, path: String, build: Interpreter.Build = .gil, version: String? = nil) {
        self.label = label
        self.path = path
        self.build = build
        self.version = version
    }

    public init(_ interpreter: Interpreter) {
        self.init(label: interpreter.label, path: interpreter.path, build: interpreter.build, version: interpreter.version)
    }

    /// Resolves `--python` values (paths, lab labels, `lab`, `native-swift`); none means the
    /// lab pair. Duplicates (same executable) are dropped.
    public static func resolve(_ specs: [String]) async throws(InterpreterError) -> [InterpreterChoice] {
        var chosen: [InterpreterChoice] = []
        for spec in specs.isEmpty ? ["lab"] : specs {
            if spec == NativeImplementations.label {
                if !chosen.contains(where: { $0.build == .native }) { chosen.append(.nativeSwift) }
                continue
            }
            for interpreter in try await InterpreterResolver.resolve(spec) where !chosen.contains(where: { $0.path == interpreter.path }) {
                chosen.append(InterpreterChoice(interpreter))
            }
        }
        return chosen
    }

    /// The run header's line on which CPython release(s) the figures are about, and, when the
    /// lab's default pair is used, why that release: nil when no CPython runs.
    public static func releaseLine(_ choices: [InterpreterChoice], specs: [String], cache: CacheDirectory = CacheDirectory()) -> String? {
        let versions = Set(choices.compactMap(\.version)).sorted(by: ReleaseNumber.precedes)
        guard !versions.isEmpty else { return nil }
        var line = versions.count == 1 ? "figures are about CPython \(versions[0])" : "figures are about CPython \(versions.joined(separator: ", ")) (each compared within its release)"
        if specs.isEmpty || specs.contains("lab"), let chosen = LabDefault.read(cache: cache) {
            line += "; the default pair is \(chosen.version) because \(chosen.reason)"
        }
        return line
    }
}

extension InterpreterChoice {
    /// ftlab itself, running a workload's native implementation (`ftlab _native`).
    public static var nativeSwift: InterpreterChoice {
        InterpreterChoice(label: NativeImplementations.label, path: executablePath(), build: .native)
    }
}
