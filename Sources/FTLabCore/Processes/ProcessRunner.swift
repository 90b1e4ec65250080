import Foundation
import Subprocess
#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// What to start: the program (often `ftlab _launch ... -- python ...`), its arguments and
/// environment overrides (a nil value removes a variable).
public struct ProcessSpec: Sendable {
    public var executable: String
    public var arguments: [String]
    public var environment: [String: String?]
    public var workingDirectory: String?
    /// Kill the process (and its process group) after this many seconds.
    public var timeoutSeconds: Double
    /// Where the process's stderr goes; its tail is quoted on failure.
    public var stderrLogPath: String

    public init(executable: String, arguments: [String], environment: [String: String?] = [:],
                workingDirectory: String? = nil, timeoutSeconds: Double, stderrLogPath: String) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeoutSeconds = timeoutSeconds
        self.stderrLogPath = stderrLogPath
    }
}

/// How a finished process ended and what it said.
public struct ProcessResult: Sendable {
    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
        case interrupted
    }
    public var ending: Ending
    public var protocolOutput: String
    public var stderrTail: String
    public var elapsedSeconds: Double
    /// Processes of its group still running when it exited (killed by ftlab since): what the
    /// process started and left behind. Empty when it timed out or was interrupted (the whole
    /// group was killed then anyway) and for servers, whose group ftlab ends itself.
    public var leftBehind: [ProcessGroup.Member]

    package init(ending: Ending, protocolOutput: String, stderrTail: String, elapsedSeconds: Double,
                 leftBehind: [ProcessGroup.Member] = []) {
        self.ending = ending
        self.protocolOutput = protocolOutput
        self.stderrTail = stderrTail
        self.elapsedSeconds = elapsedSeconds
        self.leftBehind = leftBehind
    }
}

/// Spawns interpreter processes in their own process group, enforces timeouts, and kills
/// every live group when the runner is interrupted, so no interpreter outlives ftlab.
public enum ProcessRunner {
    /// The most protocol output kept from one process (64 MiB).
    package static let protocolLimit = 64 << 20

    /// Runs `spec` to completion (or timeout) and returns its protocol output and stderr tail.
    public static func run(_ spec: ProcessSpec) async throws(ExecutionError) -> ProcessResult {
        let (read, write) = try makePipe(spec)
        let protocolStream = StreamCapture(reading: read, headLimit: protocolLimit, tailLimit: 0)
        let (_, bracketed) = try await bracket(
            spec, input: .none, output: .fileDescriptor(FileDescriptor(rawValue: write), closeAfterSpawningProcess: true)
        ) { _ in }
        var result = bracketed
        result.protocolOutput = String(decoding: protocolStream.finish(within: 2).head, as: UTF8.self)
        return result
    }

    /// The one spawn bracket every measured process goes through: its own process group,
    /// stderr through a bounded ``StreamCapture`` into the log, registration with
    /// ``LiveProcesses`` (Ctrl-C kills it), the watchdog armed for the spec's timeout;
    /// `whileRunning` gets the pid. When the process has ended, whatever is left of its process
    /// group is killed and waited for (``ProcessGroup/end(_:within:)``); with `reportLeftovers`
    /// the processes that were still running then are the result's `leftBehind`. The result's
    /// `protocolOutput` is left empty for the caller to fill.
    package static func bracket<Input: InputProtocol, Output: OutputProtocol, T>(
        _ spec: ProcessSpec, input: Input, output: Output, reportLeftovers: Bool = true,
        whileRunning body: (pid_t) async -> T
    ) async throws(ExecutionError) -> (ExecutionResult<T, Output, FileDescriptorOutput>, ProcessResult) {
        let logFD = try openLog(spec)
        let read: Int32, write: Int32
        do {
            (read, write) = try makePipe(spec)
        } catch {
            try? logFD.close()
            throw error
        }
        let stderrStream = StreamCapture(reading: read, headLimit: StreamCapture.logHead, tailLimit: StreamCapture.logTail,
                                         log: logFD.rawValue)
        var options = PlatformOptions()
        options.processGroupID = 0
        var env: [Environment.Key: String?] = [:]
        for (key, value) in spec.environment { env[Environment.Key(stringLiteral: key)] = value }
        let start = ContinuousClock.now
        let watchdog = Watchdog()
        let outcome: ExecutionResult<T, Output, FileDescriptorOutput>
        do {
            outcome = try await Subprocess.run(
                .path(FilePath(spec.executable)),
                arguments: Arguments(spec.arguments),
                environment: .inherit.updating(env),
                workingDirectory: spec.workingDirectory.map { FilePath($0) },
                platformOptions: options,
                input: input,
                output: output,
                error: .fileDescriptor(FileDescriptor(rawValue: write), closeAfterSpawningProcess: true)
            ) { execution in
                let pid = execution.processIdentifier.value
                LiveProcesses.shared.add(pid)
                watchdog.arm(pid: pid, after: spec.timeoutSeconds)
                return await body(pid)
            }
        } catch {
            watchdog.disarm()
            _ = stderrStream.finish(within: 0)
            throw .cannotSpawn(program: spec.executable, reason: "\(error)")
        }
        watchdog.disarm()
        let pid = outcome.processIdentifier.value
        let ending = ending(outcome.terminationStatus, watchdog: watchdog)
        let left = ProcessGroup.end(pid)
        LiveProcesses.shared.remove(pid)
        let kept = stderrStream.finish(within: 2)
        let result = ProcessResult(
            ending: ending, protocolOutput: "", stderrTail: lastLines(kept.suffix(16 << 10), 20),
            elapsedSeconds: MonotonicClock.seconds(since: start),
            leftBehind: reportLeftovers && ending != .timedOut && ending != .interrupted ? left : [])
        return (outcome, result)
    }

    /// A pipe whose both ends are closed on exec (the child gets its end through the spawn).
    package static func makePipe(_ spec: ProcessSpec) throws(ExecutionError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw .cannotSpawn(program: spec.executable, reason: "cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// Opens (truncating) the file that receives the process's stderr.
    package static func openLog(_ spec: ProcessSpec) throws(ExecutionError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(
                FilePath(spec.stderrLogPath), .writeOnly,
                options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            throw .cannotSpawn(program: spec.executable, reason: "cannot open log \(spec.stderrLogPath): \(error)")
        }
    }

    /// How the process ended, as the runner reports it: the watchdog and Ctrl-C come first.
    package static func ending(_ status: TerminationStatus, watchdog: Watchdog) -> ProcessResult.Ending {
        if watchdog.fired { return .timedOut }
        if LiveProcesses.shared.interrupted { return .interrupted }
        switch status {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        }
    }

    /// The last `lines` lines of a text file (empty when unreadable).
    public static func tail(ofFile path: String, lines: Int) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return lastLines(String(decoding: data.suffix(16 << 10), as: UTF8.self), lines)
    }

    /// The last `lines` lines of `text`, trimmed.
    package static func lastLines(_ text: String, _ lines: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .suffix(lines + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Kills a process group when its time is up.
package final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?
    private var _fired = false

    package var fired: Bool { lock.withLock { _fired } }

    package func arm(pid: pid_t, after seconds: Double) {
        let task = Task.detached { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            guard !Task.isCancelled, let self else { return }
            self.lock.withLock { self._fired = true }
            kill(-pid, SIGKILL)
        }
        lock.withLock { self.task = task }
    }

    package func disarm() {
        lock.withLock { task?.cancel() }
    }
}

/// The process groups ftlab has started and not yet reaped.
public final class LiveProcesses: @unchecked Sendable {
    public static let shared = LiveProcesses()
    private let lock = NSLock()
    private var groups = Set<pid_t>()
    private var _interrupted = false

    /// True once `killAll` ran because the user interrupted the run.
    public var interrupted: Bool { lock.withLock { _interrupted } }

    package func add(_ pid: pid_t) {
        let alreadyInterrupted = lock.withLock { () -> Bool in
            groups.insert(pid)
            return _interrupted
        }
        if alreadyInterrupted { kill(-pid, SIGKILL) }
    }

    package func remove(_ pid: pid_t) { _ = lock.withLock { groups.remove(pid) } }

    /// Kills every live process group (SIGKILL) and marks the run interrupted.
    public func killAll() {
        let live = lock.withLock { () -> Set<pid_t> in
            _interrupted = true
            return groups
        }
        for pid in live { kill(-pid, SIGKILL) }
    }
}

/// Problems starting processes.
public enum ExecutionError: FTLabError, Equatable {
    case cannotSpawn(program: String, reason: String)
    case missingHarness(String)

    public var description: String {
        switch self {
        case let .cannotSpawn(program, reason): "cannot start \(program): \(reason)"
        case let .missingHarness(path): "the harness \(path) is missing; set FTLAB_WORKLOADS to the repository's Workloads folder"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .cannotSpawn: 1
        case .missingHarness: 2
        }
    }
}
