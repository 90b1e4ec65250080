import Foundation
import Histogram
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore
import FTLabHarness

/// One client thread's share of the connections: it keeps them open across samples and, for
/// each sample, sends requests and reads answers with `poll` until the deadline, then waits
/// for the answers still in flight.
package final class ClientWorker: @unchecked Sendable {
    /// One keep-alive connection and its request in flight.
    private struct Connection {
        /// Global index: decides the first target and, in open loop, the send phase.
        package var index: Int
        package var socket: ClientSocket?
        package var reader = ResponseReader()
        package var nextTarget: Int
        package var inFlight = false
        /// When the request in flight was sent.
        package var sentAt: UInt64 = 0
        /// Where its latency counts from: the send time, or in open loop the intended send time.
        package var latencyOrigin: UInt64 = 0
        package var target = 0
        package var answered = 0
        package var retryAt: UInt64 = 0
        package var nextIntended: UInt64 = 0
    }

    /// What one sample of this worker measured.
    package struct Sample {
        package var responses = 0
        package var finishedAt: UInt64 = 0
        package var latency = LoadSample.emptyHistogram()
        package var errors = LoadErrors()
        package var abandoned = 0
        package var cpuSeconds = 0.0
        package var firstWrong: String?
        package var pinFailure: String?
    }

    package let cpu: Int?
    private var connections: [Connection]
    private let port: UInt16
    private let checks: [RequestCheck]
    private let requests: [[UInt8]]
    private let options: LoadOptions
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    /// Totals over every sample (the server's served count is checked against them).
    package private(set) var responses = 0
    package private(set) var abandoned = 0

    package init(cpu: Int?, connectionIndexes: [Int], port: UInt16, checks: [RequestCheck], options: LoadOptions) {
        self.cpu = cpu
        self.port = port
        self.checks = checks
        self.requests = checks.map { $0.request(port: port) }
        self.options = options
        connections = connectionIndexes.map { Connection(index: $0, nextTarget: $0 % checks.count) }
    }

    /// Runs one sample from `start` to `deadline` (monotonic ns) on the calling thread.
    package func run(start: UInt64, deadline: UInt64, shouldStop: @Sendable () -> Bool) -> Sample {
        var sample = Sample()
        if let cpu, let failure = pinCurrentThread(to: cpu) {
            sample.pinFailure = failure
            return sample
        }
        let cpuAtStart = MonotonicClock.threadCPUSeconds()
        let interval = options.rate.map { UInt64(Double(options.connections) / $0 * 1e9) }
        if let interval {
            for i in connections.indices {
                connections[i].nextIntended = start + interval * UInt64(connections[i].index) / UInt64(options.connections)
            }
        }
        let timeout = UInt64(options.requestTimeout * 1e9)
        var stopping = false
        var fds: [pollfd] = []
        var polled: [Int] = []
        while true {
            let now = MonotonicClock.nanoseconds()
            if !stopping, now >= deadline || shouldStop() { stopping = true }
            var wakeAt = now + 50_000_000
            if !stopping {
                wakeAt = min(wakeAt, deadline)
                for i in connections.indices where !connections[i].inFlight {
                    if let due = startRequest(i, now: now, interval: interval, sample: &sample) { wakeAt = min(wakeAt, due) }
                }
            }
            fds.removeAll(keepingCapacity: true)
            polled.removeAll(keepingCapacity: true)
            for i in connections.indices where connections[i].inFlight {
                fds.append(pollfd(fd: connections[i].socket!.fd, events: Int16(POLLIN), revents: 0))
                polled.append(i)
                wakeAt = min(wakeAt, connections[i].sentAt + timeout)
            }
            if fds.isEmpty && stopping { break }
            let waitMs = wakeAt > now ? Int32((wakeAt - now + 999_999) / 1_000_000) : 0
            _ = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), waitMs) }
            let after = MonotonicClock.nanoseconds()
            for (k, entry) in fds.enumerated() where entry.revents != 0 {
                read(polled[k], now: after, sample: &sample)
            }
            for i in connections.indices where connections[i].inFlight && after >= connections[i].sentAt + timeout {
                sample.errors.timeout += 1
                drop(i, abandoning: true, sample: &sample)
            }
        }
        sample.finishedAt = MonotonicClock.nanoseconds()
        sample.cpuSeconds = MonotonicClock.threadCPUSeconds() - cpuAtStart
        return sample
    }

    /// Closes every connection.
    package func close() {
        for i in connections.indices {
            connections[i].socket?.close()
            connections[i].socket = nil
        }
    }

    /// Sends the next request on idle connection `i` when it is due; returns when to look again
    /// when it is not (reconnect back-off, open-loop schedule).
    private func startRequest(_ i: Int, now: UInt64, interval: UInt64?, sample: inout Sample) -> UInt64? {
        if connections[i].socket == nil {
            if now < connections[i].retryAt { return connections[i].retryAt }
            guard let socket = ClientSocket.connect(port: port, timeout: options.requestTimeout) else {
                sample.errors.connect += 1
                connections[i].retryAt = now + 20_000_000
                return connections[i].retryAt
            }
            connections[i].socket = socket
        }
        var origin = now
        if let interval {
            if now < connections[i].nextIntended { return connections[i].nextIntended }
            origin = connections[i].nextIntended
            connections[i].nextIntended += interval
        }
        let target = connections[i].nextTarget
        connections[i].nextTarget = (target + 1) % checks.count
        guard connections[i].socket!.send(requests[target], timeout: options.requestTimeout) else {
            sample.errors.reset += 1
            drop(i, abandoning: false, sample: &sample)
            return nil
        }
        connections[i].inFlight = true
        connections[i].target = target
        connections[i].sentAt = now
        connections[i].latencyOrigin = origin
        return nil
    }

    /// Reads what arrived on connection `i` and handles every complete response.
    private func read(_ i: Int, now: UInt64, sample: inout Sample) {
        guard let socket = connections[i].socket else { return }
        let received = scratch.withUnsafeMutableBytes { socket.receive(into: $0) }
        guard let received else { return }
        guard received > 0 else {
            sample.errors.reset += 1
            drop(i, abandoning: connections[i].inFlight, sample: &sample)
            return
        }
        scratch.withUnsafeBytes { connections[i].reader.append(UnsafeRawBufferPointer(rebasing: $0[..<received])) }
        do {
            while let head = try connections[i].reader.next() {
                guard connections[i].inFlight else { throw ResponseError.malformedHeader("an answer nobody asked for") }
                answer(i, head: head, now: now, sample: &sample)
                if connections[i].socket == nil { return }
            }
        } catch {
            sample.errors.malformed += 1
            drop(i, abandoning: connections[i].inFlight, sample: &sample)
        }
    }

    /// Records and checks one complete response on connection `i`.
    private func answer(_ i: Int, head: ResponseHead, now: UInt64, sample: inout Sample) {
        let check = checks[connections[i].target]
        _ = sample.latency.record(min(now &- connections[i].latencyOrigin, LoadSample.maxLatency))
        sample.responses += 1
        responses += 1
        connections[i].inFlight = false
        if head.status != check.status {
            sample.errors.badStatus += 1
            wrong(&sample, "GET \(check.target): status \(head.status), expected \(check.status)")
        } else if let length = check.length, head.contentLength != length {
            sample.errors.badBody += 1
            wrong(&sample, "GET \(check.target): body length \(head.contentLength) bytes, expected \(length)")
        } else if let expected = check.crc32, connections[i].answered % options.verifyEvery == 0 {
            let crc = connections[i].reader.buffer.withUnsafeBufferPointer {
                CRC32.checksum(UnsafeBufferPointer(rebasing: $0[head.length..<head.totalLength]))
            }
            if crc != expected {
                sample.errors.badBody += 1
                wrong(&sample, "GET \(check.target): body CRC-32 \(crc), expected \(expected)")
            }
        }
        connections[i].answered += 1
        connections[i].reader.consume(head)
        if head.closes { drop(i, abandoning: false, sample: &sample) }
    }

    /// Keeps the first wrong answer's description (which part differed, got and expected).
    private func wrong(_ sample: inout Sample, _ description: String) {
        if sample.firstWrong == nil { sample.firstWrong = description }
    }

    /// Closes connection `i`; it reconnects before its next request.
    private func drop(_ i: Int, abandoning: Bool, sample: inout Sample) {
        if abandoning {
            sample.abandoned += 1
            abandoned += 1
        }
        connections[i].socket?.close()
        connections[i].socket = nil
        connections[i].reader.reset()
        connections[i].inFlight = false
    }
}
