import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads one output stream of a child (the read end of a pipe) on a thread of its own and keeps
/// a bounded part of it: the first `headLimit` bytes and the last `tailLimit` bytes, counting
/// what was dropped between them. A chatty workload then costs a few MiB, never the disk.
/// With a log file, the head is written to it as it arrives (the log can be followed live) and
/// the tail is added by ``finish(within:)``, after a line saying how much was dropped.
public final class StreamCapture: @unchecked Sendable {
    /// The default bounds of a per-process log: 1 MiB of head and 1 MiB of tail.
    public static let logHead = 1 << 20
    public static let logTail = 1 << 20

    private let fd: Int32
    private let headLimit: Int
    private let tailLimit: Int
    private let log: Int32?
    private let lock = NSLock()
    private let ended = DispatchSemaphore(value: 0)
    private var stopping = false
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var dropped = 0

    /// What was kept of a stream.
    public struct Kept: Sendable {
        public var head: [UInt8]
        public var tail: [UInt8]
        /// Bytes dropped between the head and the tail.
        public var dropped: Int
        /// Everything kept, head then tail (the gap, if any, is not marked).
        public var bytes: [UInt8] { head + tail }
        /// The last `count` bytes kept, as text.
        public func suffix(_ count: Int) -> String { String(decoding: bytes.suffix(count), as: UTF8.self) }
    }

    /// Starts reading `fd` (which the capture closes). `log`, when given, is written (and closed).
    public init(reading fd: Int32, headLimit: Int, tailLimit: Int, log: Int32? = nil) {
        self.fd = fd
        self.headLimit = headLimit
        self.tailLimit = tailLimit
        self.log = log
        Thread { [self] in self.pump() }.start()
    }

    private func pump() {
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while !lock.withLock({ stopping }) {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, 100)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            guard n > 0 else { break }
            keep(chunk[..<n])
        }
        Glibc.close(fd)
        ended.signal()
    }

    private func keep(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        lock.withLock {
            if head.count < headLimit {
                let taken = rest.prefix(headLimit - head.count)
                head += taken
                if let log { Self.write(log, Array(taken)) }
                rest = rest.dropFirst(taken.count)
            }
            guard !rest.isEmpty else { return }
            tail += rest
            if tail.count > 2 * max(tailLimit, 1) {
                let excess = tail.count - tailLimit
                tail.removeFirst(excess)
                dropped += excess
            }
        }
    }

    /// Waits at most `seconds` for the end of the stream (every writer closed it), then stops
    /// reading, completes the log and returns what was kept. A writer that outlives the wait
    /// (a process that left the group) is no longer read: the pipe fills and it blocks.
    public func finish(within seconds: Double) -> Kept {
        if ended.wait(timeout: .now() + seconds) == .timedOut {
            lock.withLock { stopping = true }
            ended.wait()
        }
        return lock.withLock {
            if tail.count > tailLimit {
                dropped += tail.count - tailLimit
                tail.removeFirst(tail.count - tailLimit)
            }
            if let log {
                if dropped > 0 { Self.write(log, Array(Self.gapLine(dropped: dropped, head: headLimit, tail: tailLimit).utf8)) }
                Self.write(log, tail)
                Glibc.close(log)
            }
            return Kept(head: head, tail: tail, dropped: dropped)
        }
    }

    /// The line a log carries where output was dropped.
    package static func gapLine(dropped: Int, head: Int, tail: Int) -> String {
        func size(_ bytes: Int) -> String { bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes" }
        return "\n[ftlab: \(dropped) bytes of output dropped here; a log keeps the first \(size(head)) "
            + "and the last \(size(tail))]\n"
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
