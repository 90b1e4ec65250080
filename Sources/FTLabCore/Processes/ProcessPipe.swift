import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The runner's end of a process's stdin and stdout: lines out, lines in, every read bounded
/// by a deadline so a silent process can never hang the runner.
public final class ProcessPipe: @unchecked Sendable {
    /// What a bounded read found.
    public enum Read: Sendable, Equatable {
        case line(String)
        /// The process closed its stdout (it exited).
        case end
        case timedOut
    }

    private let input: Int32
    private let output: Int32
    private var pending: [UInt8] = []
    private var inputOpen = true
    /// Every line read, in order.
    public private(set) var lines: [String] = []

    /// `input` writes to the process's stdin, `output` reads its stdout; both are closed by
    /// ``close()``.
    package init(input: Int32, output: Int32) {
        self.input = input
        self.output = output
    }

    /// The next line (without its newline), waiting at most `seconds`.
    public func readLine(within seconds: Double) -> Read {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let newline = pending.firstIndex(of: 10) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeFirst(newline + 1)
                lines.append(line)
                return .line(line)
            }
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return .timedOut }
            var entry = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ms = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            let ready = poll(&entry, 1, ms)
            if ready < 0 && errno != EINTR { return .end }
            guard ready > 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return .end }
            pending.append(contentsOf: chunk[..<n])
        }
    }

    /// Writes `line` and a newline to the process's stdin; false when it no longer reads it.
    @discardableResult
    public func send(_ line: String) -> Bool {
        guard inputOpen else { return false }
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(input, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Closes the process's stdin: it reads end of file.
    public func closeInput() {
        guard inputOpen else { return }
        inputOpen = false
        Glibc.close(input)
    }

    /// Reads and keeps lines until the process closes its stdout, at most `seconds`; true
    /// when it did.
    public func waitForEnd(within seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            switch readLine(within: MonotonicClock.seconds(left)) {
            case .end: return true
            case .timedOut: return false
            case .line: continue
            }
        }
    }

    package func close() {
        closeInput()
        Glibc.close(output)
    }
}
