import CNuma
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking TCP connection to a port on 127.0.0.1 (the only host the load generator
/// talks to), with Nagle's algorithm off.
package struct ClientSocket {
    package let fd: Int32

    /// Connects within `timeout` seconds; nil when refused, unreachable or too slow.
    package static func connect(port: UInt16, timeout: Double) -> ClientSocket? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian  // 127.0.0.1
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 {
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard errno == EINPROGRESS, poll(&entry, 1, Int32(timeout * 1000)) > 0,
                  getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0, soError == 0 else {
                Glibc.close(fd)
                return nil
            }
        }
        setNoDelay(fd)
        return ClientSocket(fd: fd)
    }

    /// Sends all of `bytes` (waiting at most `timeout` seconds for room); false when the
    /// connection is gone or stuck.
    package func send(_ bytes: [UInt8], timeout: Double) -> Bool {
        var offset = 0
        return bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let n = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if n > 0 { offset += n; continue }
                guard n < 0, errno == EAGAIN || errno == EINTR else { return false }
                var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if errno == EAGAIN, poll(&entry, 1, Int32(timeout * 1000)) <= 0 { return false }
            }
            return true
        }
    }

    /// Reads what has arrived into `buffer`: the byte count, 0 at end of stream, or -1 on error
    /// (nil when nothing is there yet).
    package func receive(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return errno == EAGAIN ? nil : -1
        }
    }

    package func close() { Glibc.close(fd) }
}

/// Turns Nagle's algorithm off on socket `fd`.
package func setNoDelay(_ fd: Int32) {
    var one: Int32 = 1
    setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
}

/// Pins the calling thread to `cpu`; the reason on failure.
package func pinCurrentThread(to cpu: Int) -> String? {
    var id = Int32(cpu)
    let rc = ftlab_set_affinity(0, &id, 1)
    return rc == 0 ? nil : String(cString: strerror(rc))
}
