import Foundation

/// Runs the built `ftlab` binary, which SwiftPM puts beside the test bundle.
func ftlab(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) {
    try ftlab(arguments)
}

/// Runs the built `ftlab` binary with `arguments` (and extra environment).
func ftlab(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    try runProgram(TestPaths.ftlab, arguments, environment: environment)
}
