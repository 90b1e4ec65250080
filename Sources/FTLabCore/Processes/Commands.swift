import Foundation
import Subprocess
import SystemPackage

/// `command -v` for a bare name: the first executable `name` on `$PATH`.
package func findOnPath(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
    for directory in directories where !directory.isEmpty {
        let candidate = "\(directory)/\(name)"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
            FileManager.default.isExecutableFile(atPath: candidate)
        {
            return candidate
        }
    }
    return nil
}

/// What a short command printed.
package struct CapturedOutput: Sendable {
    package var succeeded: Bool
    package var standardOutput: String
    package var standardError: String
}

/// Runs `executable` (a path or a name on PATH) to completion and collects what it prints
/// (up to 1 MiB each); nil when it cannot be started at all.
package func capture(_ executable: String, _ arguments: [String]) async -> CapturedOutput? {
    let result = try? await Subprocess.run(
        executable.contains("/") ? .path(FilePath(executable)) : .name(executable),
        arguments: Arguments(arguments),
        output: .string(limit: 1 << 20),
        error: .string(limit: 1 << 20))
    return result.map {
        CapturedOutput(
            succeeded: $0.terminationStatus.isSuccess,
            standardOutput: $0.standardOutput,
            standardError: $0.standardError)
    }
}
