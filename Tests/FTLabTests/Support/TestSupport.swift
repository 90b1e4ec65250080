import Foundation
import Testing
import FTLabRunner
import FTLabInterpreters

/// Paths the tests need: fixtures, the repository, a scratch folder.
enum TestPaths {
    static var fixtures: String { Bundle.module.resourcePath! + "/Fixtures" }
    /// The repository root (this file is Tests/FTLabTests/Support/TestSupport.swift).
    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }
    static var builtinWorkloads: String { repository + "/Workloads" }
    /// The ftlab executable built beside the tests.
    static var ftlab: String {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("ftlab").path
    }

    /// The lab's interpreter of `build`; a missing one fails the test (CI builds both).
    static func labPython(_ build: Interpreter.Build) throws -> String {
        let path = PinnedPair.executable(build)
        try #require(FileManager.default.isExecutableFile(atPath: path),
                     "the \(build) CPython \(PinnedPair.version) is missing at \(path); build the lab pair first (ftlab lab pythons)")
        return path
    }

    static func scratch(_ name: String = #function) -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let dir = NSTemporaryDirectory() + "ftlab-tests-\(safe)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Runs a program and returns its exit status, stdout and stderr (captured through files, so
/// neither pipe can fill up and block the child).
func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let dir = TestPaths.scratch("run")
    let outPath = dir + "/stdout", errPath = dir + "/stderr"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    process.standardOutput = FileHandle(forWritingAtPath: outPath)
    process.standardError = FileHandle(forWritingAtPath: errPath)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    return (process.terminationStatus, out, err)
}
