import Foundation

/// What a short-lived host tool printed.
package struct ToolOutput {
    package var status: Int32
    package var stdout: String
    package var stderr: String
}

/// Runs a short-lived host tool (`ldconfig -p`, `dpkg-query`, `/bin/true`) to completion;
/// nil when it cannot be started. `environment` nil inherits ftlab's. Its output must be small
/// enough for stderr to sit in a pipe while stdout is read. Not for interpreters: those go
/// through `ProcessRunner`.
package func runTool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) -> ToolOutput? {
    guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolOutput(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
}

/// The stdout of a host tool that succeeded, else nil.
package func commandOutput(_ executable: String, _ arguments: [String]) -> String? {
    guard let output = runTool(executable, arguments), output.status == 0 else { return nil }
    return output.stdout
}
