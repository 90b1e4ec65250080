import Foundation
import Subprocess
#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

extension ProcessRunner {
    /// Runs `spec` while `body` talks to the process over its stdin and stdout, on a thread of
    /// its own (blocking reads with deadlines). When `body` returns, the process group is
    /// killed, so nothing the process started outlives the conversation; the timeout and
    /// Ctrl-C apply as in ``run(_:)``. Returns `body`'s result and how the process ended (its
    /// `protocolOutput` is every line `body` read).
    public static func converse<T: Sendable>(
        _ spec: ProcessSpec, _ body: @escaping @Sendable (ProcessPipe) -> T
    ) async throws(ExecutionError) -> (T, ProcessResult) {
        // A write to a server that just died must be an error, not a SIGPIPE that kills ftlab.
        signal(SIGPIPE, SIG_IGN)
        let logFD = try openLog(spec)
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            let reason = String(cString: strerror(errno))
            for fd in toChild + fromChild where fd >= 0 { Glibc.close(fd) }
            try? logFD.close()
            throw .cannotSpawn(program: spec.executable, reason: "cannot create a pipe: \(reason)")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let channel = ProcessPipe(input: toChild[1], output: fromChild[0])
        defer { channel.close() }
        let (options, env) = launchSettings(spec)
        let start = ContinuousClock.now
        let watchdog = Watchdog()
        let outcome: ExecutionResult<T, FileDescriptorOutput, FileDescriptorOutput>
        do {
            outcome = try await Subprocess.run(
                .path(FilePath(spec.executable)),
                arguments: Arguments(spec.arguments),
                environment: .inherit.updating(env),
                workingDirectory: spec.workingDirectory.map { FilePath($0) },
                platformOptions: options,
                input: .fileDescriptor(FileDescriptor(rawValue: toChild[0]), closeAfterSpawningProcess: true),
                output: .fileDescriptor(FileDescriptor(rawValue: fromChild[1]), closeAfterSpawningProcess: true),
                error: .fileDescriptor(logFD, closeAfterSpawningProcess: true)
            ) { execution in
                let pid = execution.processIdentifier.value
                LiveProcesses.shared.add(pid)
                watchdog.arm(pid: pid, after: spec.timeoutSeconds)
                let value = await onDedicatedThread { body(channel) }
                kill(-pid, SIGKILL)
                return value
            }
        } catch {
            watchdog.disarm()
            throw .cannotSpawn(program: spec.executable, reason: "\(error)")
        }
        watchdog.disarm()
        LiveProcesses.shared.remove(outcome.processIdentifier.value)
        let result = ProcessResult(
            ending: ending(outcome.terminationStatus, watchdog: watchdog),
            protocolOutput: channel.lines.joined(separator: "\n"),
            stderrTail: tail(ofFile: spec.stderrLogPath, lines: 20), elapsedSeconds: MonotonicClock.seconds(since: start))
        return (outcome.closureResult, result)
    }
}
