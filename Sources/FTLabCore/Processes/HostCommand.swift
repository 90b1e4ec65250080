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
    /// The tool leads a process group of its own, registered with ``LiveProcesses``: Ctrl-C,
    /// SIGTERM or SIGHUP to ftlab kill it and what it started (``HelperSignals``), and whatever
    /// of its group outlives it is killed when it ends. Captured output goes through files
    /// unlinked at once, so nothing is left in the temporary folder however ftlab ends.
    public func run() async -> Outcome? {
        guard let path = findOnPath(executable) else { return nil }
        HelperSignals.install()
        let outCapture = output == .captured ? Self.captureFile() : nil
        let errCapture = error == .captured ? Self.captureFile() : nil
        defer { for fd in [outCapture, errCapture].compactMap({ $0 }) { Glibc.close(fd) } }
        guard let outFD = Self.open(output, capture: outCapture, stream: STDOUT_FILENO) else { return nil }
        let errFD: FileDescriptor
        if error == .withOutput {
            errFD = FileDescriptor(rawValue: dup(outFD.rawValue))
        } else if let fd = Self.open(error, capture: errCapture, stream: STDERR_FILENO) {
            errFD = fd
        } else {
            try? outFD.close()
            return nil
        }
        var env: [Environment.Key: String?] = [:]
        for (key, value) in environment { env[Environment.Key(stringLiteral: key)] = value }
        var options = PlatformOptions()
        options.processGroupID = 0
        let execution: ExecutionResult<Void, FileDescriptorOutput, FileDescriptorOutput>
        do {
            execution = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(arguments), environment: .inherit.updating(env),
                workingDirectory: workingDirectory.map { FilePath($0) },
                platformOptions: options,
                input: .none,
                output: .fileDescriptor(outFD, closeAfterSpawningProcess: true),
                error: .fileDescriptor(errFD, closeAfterSpawningProcess: true)
            ) { execution in
                LiveProcesses.shared.add(execution.processIdentifier.value)
            }
        } catch {
            return nil
        }
        let pid = execution.processIdentifier.value
        ProcessGroup.end(pid)
        LiveProcesses.shared.remove(pid)
        let code: Int32
        switch execution.terminationStatus {
        case .exited(let value): code = value
        case .signaled(let signal): code = 128 + signal
        }
        return Outcome(status: code, standardOutput: Self.read(outCapture), standardError: Self.read(errCapture))
    }

    /// The standard output of a tool that exited 0, else nil.
    public func outputIfSucceeded() async -> String? {
        guard let outcome = await run(), outcome.succeeded else { return nil }
        return outcome.standardOutput
    }

    /// A new file in the temporary folder, unlinked at once: the returned descriptor reads it.
    private static func captureFile() -> Int32? {
        var template = Array((NSTemporaryDirectory() + "/ftlab-tool-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return nil }
        unlink(template)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    private static func open(_ destination: Destination, capture: Int32?, stream: Int32) -> FileDescriptor? {
        let permissions: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
        switch destination {
        case .captured:
            guard let capture else { return nil }
            return FileDescriptor(rawValue: dup(capture))
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

    /// Up to 16 MiB of a capture file, from its start.
    private static func read(_ capture: Int32?) -> String {
        guard let capture else { return "" }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while data.count < 16 << 20 {
            let n = chunk.withUnsafeMutableBytes { pread(capture, $0.baseAddress, $0.count, off_t(data.count)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            data += chunk[..<n]
        }
        return String(decoding: data.prefix(16 << 20), as: UTF8.self)
    }
}

/// The one place ftlab handles SIGINT, SIGTERM and SIGHUP. Until a command claims them, a
/// signal kills every live process group (helper tools such as pip, venv, make, perf; measured
/// interpreters) and ftlab exits 130, so no helper outlives it; a signal ftlab was started
/// ignoring stays ignored. A command with its own handling (`ftlab run`, `ftlab serve`) claims
/// them with ``claim(_:)``.
///
/// One handler per signal, installed once: libdispatch installs its own `sigaction` when the
/// first source of a signal is made, and a later `signal(SIG_IGN)` for a second source would
/// silently replace it.
public enum HelperSignals {
    nonisolated(unsafe) private static var sources: [Int32: DispatchSourceSignal] = [:]
    nonisolated(unsafe) private static var handler: (@Sendable (Int32) -> Void)?
    private static let lock = NSLock()
    private static let handled = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the default handling for each of the signals still at its default disposition.
    public static func install() {
        lock.withLock { installLocked(evenIfIgnored: false) }
    }

    /// From now on `handler` receives SIGINT, SIGTERM and SIGHUP (even one ftlab was started
    /// ignoring) instead of the default handling.
    public static func claim(_ handler: @escaping @Sendable (Int32) -> Void) {
        lock.withLock {
            self.handler = handler
            installLocked(evenIfIgnored: true)
        }
    }

    private static func installLocked(evenIfIgnored: Bool) {
        for sig in handled where sources[sig] == nil {
            var current = sigaction()
            sigaction(sig, nil, &current)
            guard evenIfIgnored || current.__sigaction_handler.sa_handler == nil else { continue }  // nil: SIG_DFL
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { received(sig) }
            source.resume()
            sources[sig] = source
        }
    }

    private static func received(_ sig: Int32) {
        if let handler = lock.withLock({ handler }) {
            handler(sig)
            return
        }
        LiveProcesses.shared.killAll()
        exit(130)
    }
}
