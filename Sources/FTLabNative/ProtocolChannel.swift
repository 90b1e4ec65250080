import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabHarness

/// The protocol stream of a native process (PROTOCOL.md, "The channel"): a duplicate of the
/// original stdout carrying one JSON object per line; fd 1 then points at stderr, so nothing
/// else can write to the stream.
package final class ProtocolChannel: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false

    /// Takes over stdout.
    package init() {
        fd = dup(STDOUT_FILENO)
        dup2(STDERR_FILENO, STDOUT_FILENO)
    }

    /// Writes one message; a no-op once an error has been sent.
    package func send(_ message: some Encodable, type: String) {
        lock.lock()
        defer { lock.unlock() }
        write(message, type: type)
    }

    /// Sends an `error` for `error` (the first failure only), runs `beforeExit`, and ends the
    /// process with `status`, from any thread.
    package func fail(_ error: NativeError, status: Int32, beforeExit: () -> Void = {}) -> Never {
        lock.lock()
        if !closed {
            let message = "\(error.kind): \(error.description)"
            write(HarnessFailure(message: message, traceback: "", where: ""), type: "error")
            closed = true
            FileHandle.standardError.write(Data("ftlab _native: \(message)\n".utf8))
        }
        lock.unlock()
        beforeExit()
        _exit(status)
    }

    private func write(_ message: some Encodable, type: String) {
        guard !closed, var line = try? JSONEncoder().encode(Envelope(type: type, message: message)) else { return }
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}

/// A message with its `type` field beside its own fields.
private struct Envelope<Message: Encodable>: Encodable {
    package var type: String
    package var message: Message

    package enum Key: String, CodingKey { case type }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(type, forKey: .type)
        try message.encode(to: encoder)
    }
}
