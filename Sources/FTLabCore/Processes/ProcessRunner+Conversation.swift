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
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else {
            let reason = String(cString: strerror(errno))
            for fd in toChild + fromChild where fd >= 0 { Glibc.close(fd) }
            throw .cannotSpawn(program: spec.executable, reason: "cannot create a pipe: \(reason)")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let channel = ProcessPipe(input: toChild[1], output: fromChild[0])
        defer { channel.close() }
        let (outcome, bracketed) = try await bracket(
            spec,
            input: .fileDescriptor(FileDescriptor(rawValue: toChild[0]), closeAfterSpawningProcess: true),
            output: .fileDescriptor(FileDescriptor(rawValue: fromChild[1]), closeAfterSpawningProcess: true),
            reportLeftovers: false
        ) { pid in
            let value = await onDedicatedThread { body(channel) }
            kill(-pid, SIGKILL)
            return value
        }
        var result = bracketed
        result.protocolOutput = channel.lines.joined(separator: "\n")
        return (outcome.closureResult, result)
    }
}
