import CNuma
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes of one process group, read from `/proc`, and how to end them all.
///
/// Every interpreter ftlab measures leads a process group of its own; whatever it starts with
/// `fork`, `subprocess` or `multiprocessing` stays in that group unless it asks to leave
/// (`setsid`, `start_new_session=True`). Ending the group when the leader ends ends the tree.
/// A process group needs no privileges and works in containers and Slurm jobs alike, where a
/// cgroup of one's own is rarely delegated; a child subreaper would make ftlab the parent of
/// every orphan, which would then be ftlab's to reap beside swift-subprocess's own waits.
public enum ProcessGroup {
    /// One process of a group as `/proc/PID/stat` shows it.
    public struct Member: Sendable, Equatable, CustomStringConvertible {
        public var pid: pid_t
        /// The command name (`comm`, at most 15 bytes).
        public var name: String
        /// The one-letter state: `R`, `S`, `Z` (exited, not yet reaped)...
        public var state: Character

        public var description: String { "\(name) (pid \(pid))" }
    }

    /// The processes whose process group is `pgid`, zombies included, in pid order.
    public static func members(_ pgid: pid_t) -> [Member] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [Member] = []
        for entry in entries {
            guard let pid = pid_t(entry), let member = stat(pid), member.group == pgid else { continue }
            found.append(member.member)
        }
        return found.sorted { $0.pid < $1.pid }
    }

    /// Kills every process left in group `pgid` (SIGKILL) and waits, at most `seconds`, until
    /// none is left (orphans are reaped by their new parent). Returns the processes that were
    /// still running (not zombies) when it was called: what the leader left behind.
    @discardableResult
    public static func end(_ pgid: pid_t, within seconds: Double = 5) -> [Member] {
        guard pgid > 1 else { return [] }
        let running = members(pgid).filter { $0.state != "Z" }
        guard kill(-pgid, SIGKILL) == 0 || errno != ESRCH else { return running }
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline, !members(pgid).filter({ $0.state != "Z" }).isEmpty {
            usleep(10_000)
        }
        return running
    }

    /// pid, state and process group of `pid` from `/proc/PID/stat`; nil when it is gone.
    private static func stat(_ pid: pid_t) -> (member: Member, group: pid_t)? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // "PID (COMM) STATE PPID PGRP ..."; COMM may hold spaces and parentheses.
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return nil }
        let name = String(text[text.index(after: open)..<close])
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let state = fields[0].first, let group = pid_t(fields[2]) else { return nil }
        return (Member(pid: pid, name: name, state: state), group)
    }
}

/// The signal state a program expects to start with.
public enum SignalState {
    /// Unblocks every signal on the calling thread and sets every disposition back to the
    /// default, so that a program this thread `exec`s starts as from a shell: the blocked set
    /// and ignored signals survive `execve`, and ftlab's threads block or ignore some (the
    /// concurrency pool's threads block most; ftlab ignores SIGINT, SIGTERM, SIGHUP, SIGPIPE
    /// while it runs). Call it just before `execv`.
    public static func resetForExec() {
        for signo in 1..<Int32(65) where signo != SIGKILL && signo != SIGSTOP {
            _ = ftlab_default_signal(signo)
        }
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
    }
}
