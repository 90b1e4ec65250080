import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore
import FTLabHarness

/// A minimal HTTP/1.1 keep-alive server on 127.0.0.1 that answers every request with one fixed
/// response from a single `poll` thread: about the least work a server can do per request.
/// It measures the load generator's own capacity (``ClientCapacity``) and serves the tests.
public final class CannedServer: @unchecked Sendable {
    public let port: UInt16
    /// The body of every response.
    public let body: [UInt8]
    private let listener: Int32
    private let response: [UInt8]
    private let lock = NSLock()
    private var stopping = false
    private var _served = 0
    private var _accepted = 0
    private var _cpuSeconds = 0.0
    private let finished = DispatchSemaphore(value: 0)

    /// Each body ends with the response's number (a body that changes with every request).
    private let numbered: Bool

    /// Listens on an ephemeral port of 127.0.0.1 and serves on a thread pinned to `cpu` (nil:
    /// unpinned) until ``stop()``. `numbered`: every body is ``body`` followed by the response's
    /// number, so no two bodies are alike (for tests of body checks).
    public init(body: [UInt8] = Array(#"{"ok":true}"#.utf8), cpu: Int? = nil, numbered: Bool = false) throws(LoadGenError) {
        self.body = body
        self.numbered = numbered
        response = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                fd >= 0 && bind(fd, $0, length) == 0 && listen(fd, 128) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { Glibc.close(fd) }
            throw .serverFailed(reason)
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let pinned = ResultSlots<String?>(count: 1)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            let failure = cpu.flatMap { pinCurrentThread(to: $0) }
            pinned.set(0, failure)
            ready.signal()
            if failure == nil { serve() } else { Glibc.close(listener) }
            finished.signal()
        }
        thread.name = "ftlab-canned-server"
        thread.start()
        ready.wait()
        if let cpu, let failure = pinned.values.first ?? nil { throw .cannotPin(cpu: cpu, reason: failure) }
    }

    /// The request mix a load generator sends to this server: `/`, answered with ``body``.
    public var mix: [RequestCheck] {
        [RequestCheck(target: "/", status: 200, length: body.count, crc32: CRC32.checksum(body))]
    }

    /// Requests answered so far.
    public var served: Int { lock.withLock { _served } }
    /// Connections accepted so far.
    public var accepted: Int { lock.withLock { _accepted } }
    /// CPU time of the serving thread so far (user + system).
    public var cpuSeconds: Double { lock.withLock { _cpuSeconds } }

    /// Stops serving, closes every connection and the listening socket.
    public func stop() {
        lock.withLock { stopping = true }
        finished.wait()
    }

    private func serve() {
        var connections: [(fd: Int32, matched: Int)] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !lock.withLock({ stopping }) {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
                + connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            let cpu = MonotonicClock.threadCPUSeconds()
            lock.withLock { _cpuSeconds = cpu }
            guard ready > 0 else { continue }
            var closed = Set<Int32>()
            for (k, entry) in fds.enumerated().dropFirst() where entry.revents != 0 {
                let n = buffer.withUnsafeMutableBytes { recv(entry.fd, $0.baseAddress, $0.count, 0) }
                if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                var requests = 0
                if n > 0 {
                    // Count request heads ("\r\n\r\n"), carrying a partial match across reads.
                    let pattern: [UInt8] = [13, 10, 13, 10]
                    var matched = connections[k - 1].matched
                    for byte in buffer[..<n] {
                        if byte == pattern[matched] { matched += 1 } else { matched = byte == 13 ? 1 : 0 }
                        if matched == 4 { requests += 1; matched = 0 }
                    }
                    connections[k - 1].matched = matched
                }
                if n <= 0 || !reply(entry.fd, times: requests) {
                    Glibc.close(entry.fd)
                    closed.insert(entry.fd)
                }
            }
            connections.removeAll { closed.contains($0.fd) }
            if fds[0].revents != 0 {
                while case let fd = accept(listener, nil, nil), fd >= 0 {
                    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                    setNoDelay(fd)
                    connections.append((fd, 0))
                    lock.withLock { _accepted += 1 }
                }
            }
        }
        connections.forEach { Glibc.close($0.fd) }
        Glibc.close(listener)
    }

    /// Sends the response `times` times; false when the connection is gone.
    private func reply(_ fd: Int32, times: Int) -> Bool {
        guard times > 0 else { return true }
        var out = times == 1 ? response : Array([[UInt8]](repeating: response, count: times).joined())
        if numbered {
            let first = lock.withLock { _served }
            out = (first..<first + times).flatMap { n -> [UInt8] in
                let numberedBody = body + Array(String(n).utf8)
                return Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(numberedBody.count)\r\n\r\n".utf8) + numberedBody
            }
        }
        let sent = ClientSocket(fd: fd).send(out, timeout: 5)
        if sent { lock.withLock { _served += times } }
        return sent
    }
}
