import Foundation

/// Runs the built `ftlab` binary, which SwiftPM puts beside the test bundle.
func ftlab(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) {
    try ftlab(arguments)
}

/// Runs the built `ftlab` binary with `arguments` (and extra environment).
func ftlab(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    try runProgram(TestPaths.ftlab, arguments, environment: environment)
}

/// Starts the built `ftlab` binary with `arguments` and returns at once (output discarded),
/// for tests that signal or kill it mid-run.
func launchFTLab(_ arguments: [String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.ftlab)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Polls every 100 ms, for up to `seconds` (30 by default), until `find` gives a value.
func waitFor<T>(seconds: Int = 30, _ find: () throws -> T?) async throws -> T? {
    for _ in 0..<(seconds * 10) {
        if let value = try find() { return value }
        try await Task.sleep(for: .milliseconds(100))
    }
    return nil
}
