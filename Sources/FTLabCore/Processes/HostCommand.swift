import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Subprocess
import SystemPackage

/// `command -v` for a bare name: the first executable file `name` on `$PATH` (an empty entry
/// is the current directory, as for `execvp`). The one PATH lookup ftlab does; a name with a
/// slash is returned as it is when executable.
public func findOnPath(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
    for directory in directories {
        let candidate = "\(directory.isEmpty ? "." : directory)/\(name)"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
            FileManager.default.isExecutableFile(atPath: candidate)
        {
            return candidate
        }
    }
    return nil
}

/// A short-lived host tool (git, ldconfig, dpkg-query, sha256sum, perf, bwrap, a workload's
/// input generator) run to completion. Interpreters under measurement go through
/// ``ProcessRunner`` instead (process groups, timeouts, Ctrl-C).
public struct HostCommand: Sendable {
    /// Where one of the tool's output streams goes.
    public enum Destination: Sendable, Equatable {
        /// Collected and returned (up to 16 MiB).
        case captured
        /// Thrown away.
        case discarded
        /// Appended to the file at this path (created when missing).
        case appended(String)
        /// Truncated and written to the file at this path.
        case file(String)
        /// ftlab's own standard error (progress the user should see).
        case standardError
        /// ftlab's own stream of the same kind (stdout to stdout, stderr to stderr).
        case inherited
        /// stderr only: wherever stdout goes (the two interleaved).
        case withOutput
    }

    /// A path, or a name looked up on `PATH`.
    public var executable: String
    public var arguments: [String]
    /// Changes to ftlab's environment (a nil value removes a variable).
    public var environment: [String: String?]
    public var workingDirectory: String?
    public var output: Destination
    public var error: Destination

    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String?] = [:],
                workingDirectory: String? = nil, output: Destination = .captured, error: Destination = .captured) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.output = output
        self.error = error
    }

    /// What a finished tool said.
    public struct Outcome: Sendable {
        /// Its exit status; 128 + N when killed by signal N.
        public var status: Int32
        /// What it printed to a `.captured` stream (empty otherwise).
        public var standardOutput: String
        public var standardError: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs the tool to completion; nil when it cannot be started (not found, not executable).
    public func run() async -> Outcome? {
        guard let path = findOnPath(executable) else { return nil }
        let outFile = Self.captureFile(output), errFile = Self.captureFile(error)
        defer { for file in [outFile, errFile].compactMap({ $0 }) { unlink(file) } }
        guard let outFD = Self.open(output, capture: outFile, stream: STDOUT_FILENO) else { return nil }
        let errFD: FileDescriptor
        if error == .withOutput {
            errFD = FileDescriptor(rawValue: dup(outFD.rawValue))
        } else if let fd = Self.open(error, capture: errFile, stream: STDERR_FILENO) {
            errFD = fd
        } else {
            try? outFD.close()
            return nil
        }
        var env: [Environment.Key: String?] = [:]
        for (key, value) in environment { env[Environment.Key(stringLiteral: key)] = value }
        let status: TerminationStatus
        do {
            status = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(arguments), environment: .inherit.updating(env),
                workingDirectory: workingDirectory.map { FilePath($0) },
                input: .none,
                output: .fileDescriptor(outFD, closeAfterSpawningProcess: true),
                error: .fileDescriptor(errFD, closeAfterSpawningProcess: true)
            ).terminationStatus
        } catch {
            return nil
        }
        let code: Int32
        switch status {
        case .exited(let value): code = value
        case .signaled(let signal): code = 128 + signal
        }
        return Outcome(status: code, standardOutput: Self.read(outFile), standardError: Self.read(errFile))
    }

    /// The standard output of a tool that exited 0, else nil.
    public func outputIfSucceeded() async -> String? {
        guard let outcome = await run(), outcome.succeeded else { return nil }
        return outcome.standardOutput
    }

    private static func captureFile(_ destination: Destination) -> String? {
        guard destination == .captured else { return nil }
        var template = Array((NSTemporaryDirectory() + "/ftlab-tool-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return nil }
        Glibc.close(fd)
        return String(cString: template)
    }

    private static func open(_ destination: Destination, capture: String?, stream: Int32) -> FileDescriptor? {
        let permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
        switch destination {
        case .captured:
            guard let capture else { return nil }
            return try? FileDescriptor.open(FilePath(capture), .writeOnly, options: [.truncate])
        case .discarded, .withOutput:
            return try? FileDescriptor.open("/dev/null", .writeOnly)
        case .appended(let path):
            return try? FileDescriptor.open(FilePath(path), .writeOnly, options: [.append, .create], permissions: permissions)
        case .file(let path):
            return try? FileDescriptor.open(FilePath(path), .writeOnly, options: [.truncate, .create], permissions: permissions)
        case .standardError:
            return FileDescriptor(rawValue: dup(STDERR_FILENO))
        case .inherited:
            return FileDescriptor(rawValue: dup(stream))
        }
    }

    private static func read(_ file: String?) -> String {
        guard let file, let handle = FileHandle(forReadingAtPath: file) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 16 << 20)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
