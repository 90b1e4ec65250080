import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore
import FTLabHarness

/// Learns, before the load, the bodies of the mix entries marked `learn` (a user's app, whose
/// answers ftlab cannot compute apart from it). Each target is requested twice on one
/// keep-alive connection with the load generator's own request bytes, so an app that echoes
/// the request (httpbin's `/headers`) is learned exactly as the load generator will see it.
/// Both answers must have the expected status and the same body; its length and CRC-32 become
/// the entry's, checked under load like any other (a CRC-32 given beforehand must match).
package enum BodyLearner {
    /// What was learned: the mix with every `learn` entry's length and CRC-32 filled in, and
    /// the responses received (the server counts them as served).
    package struct Learned {
        package var mix: [RequestCheck]
        package var responses = 0
    }

    /// Requests each `learn` entry of `mix` twice on 127.0.0.1:`port`; a request unanswered
    /// within `timeout` seconds, another status or two different bodies is a wrong answer.
    package static func learn(_ mix: [RequestCheck], port: UInt16, timeout: Double) throws(LoadGenError) -> Learned {
        var learned = Learned(mix: mix)
        guard mix.contains(where: \.learn) else { return learned }
        var connection: Connection?
        defer { connection?.socket.close() }
        for index in mix.indices where mix[index].learn {
            let check = mix[index]
            var bodies: [[UInt8]] = []
            for _ in 0..<2 {
                if connection == nil {
                    guard let socket = ClientSocket.connect(port: port, timeout: timeout) else {
                        throw .learningFailed("GET \(check.target): cannot connect to 127.0.0.1:\(port)")
                    }
                    connection = Connection(socket: socket)
                }
                let answer = try connection!.exchange(check.request(port: port), timeout: timeout, target: check.target)
                learned.responses += 1
                if answer.closes {
                    connection?.socket.close()
                    connection = nil
                }
                guard answer.status == check.status else {
                    throw .learningFailed("GET \(check.target): status \(answer.status), expected \(check.status)")
                }
                bodies.append(answer.body)
            }
            guard bodies[0] == bodies[1] else {
                throw .learningFailed("GET \(check.target): two identical requests got different bodies "
                    + "(\(bodies[0].count) bytes, CRC-32 \(CRC32.checksum(bodies[0])); then \(bodies[1].count) bytes, "
                    + "CRC-32 \(CRC32.checksum(bodies[1]))): the body varies, so only its status can be checked "
                    + "(`status-only` at the end of its request line)")
            }
            let crc = CRC32.checksum(bodies[0])
            if let expected = check.crc32, expected != crc {
                throw .learningFailed("GET \(check.target): body CRC-32 \(crc), expected \(expected) (\(bodies[0].count) bytes)")
            }
            learned.mix[index].length = bodies[0].count
            learned.mix[index].crc32 = crc
            learned.mix[index].learn = false
        }
        return learned
    }

    /// One keep-alive connection, one request at a time.
    private struct Connection {
        var socket: ClientSocket
        var reader = ResponseReader()

        /// Sends `request` and reads its whole answer.
        mutating func exchange(_ request: [UInt8], timeout: Double, target: String) throws(LoadGenError)
            -> (status: Int, body: [UInt8], closes: Bool) {
            guard socket.send(request, timeout: timeout) else {
                throw .learningFailed("GET \(target): the server closed the connection")
            }
            let deadline = MonotonicClock.nanoseconds() + UInt64(timeout * 1e9)
            var scratch = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let head: ResponseHead?
                do { head = try reader.next() } catch { throw .learningFailed("GET \(target): \(error.description)") }
                if let head {
                    let body = Array(reader.buffer[head.length..<head.totalLength])
                    reader.consume(head)
                    return (head.status, body, head.closes)
                }
                let now = MonotonicClock.nanoseconds()
                guard now < deadline else {
                    throw .learningFailed("GET \(target): no answer within \(String(format: "%g", timeout)) s")
                }
                var entry = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, Int32((deadline - now) / 1_000_000 + 1))
                let received = scratch.withUnsafeMutableBytes { socket.receive(into: $0) }
                guard let received else { continue }
                guard received > 0 else { throw .learningFailed("GET \(target): the server closed the connection") }
                scratch.withUnsafeBytes { reader.append(UnsafeRawBufferPointer(rebasing: $0[..<received])) }
            }
        }
    }
}
