import Foundation
import FTLabCore
import FTLabHarness

/// ftlab's HTTP/1.1 load generator: keep-alive connections to one port on 127.0.0.1, spread
/// over client threads pinned to the client CPUs, each connection with one request in flight
/// (closed loop, or open loop at a fixed rate with coordinated-omission correction). Latencies
/// go into an HdrHistogram; errors are counted, never thrown.
///
/// Connections stay open from the first sample to ``close()``. Every call blocks its thread.
public final class LoadGenerator: @unchecked Sendable {
    public let options: LoadOptions
    private let workers: [ClientWorker]

    /// A generator for the server on 127.0.0.1:`port` cycling through `mix`; connects lazily.
    public init(port: UInt16, mix: [RequestCheck], options: LoadOptions) throws(LoadGenError) {
        guard !mix.isEmpty else { throw .emptyRequestMix }
        self.options = options
        let count = options.threads
        workers = (0..<count).map { w in
            ClientWorker(cpu: options.clientCPUs.isEmpty ? nil : options.clientCPUs[w],
                         connectionIndexes: Array(stride(from: w, to: options.connections, by: count)),
                         port: port, checks: mix, options: options)
        }
    }

    /// Sends load for `seconds`, then waits for the answers in flight. `shouldStop` is polled
    /// so an interrupted run ends at once.
    public func sample(seconds: Double, shouldStop: @escaping @Sendable () -> Bool = { false }) throws(LoadGenError) -> LoadSample {
        let start = MonotonicClock.nanoseconds()
        let deadline = start + UInt64(max(0, seconds) * 1e9)
        let results = ResultSlots<ClientWorker.Sample>(count: workers.count)
        let done = DispatchGroup()
        for (index, worker) in workers.enumerated() {
            done.enter()
            let thread = Thread {
                results.set(index, worker.run(start: start, deadline: deadline, shouldStop: shouldStop))
                done.leave()
            }
            thread.name = "ftlab-loadgen-\(index)"
            thread.start()
        }
        done.wait()
        var sample = LoadSample()
        sample.clientThreads = workers.count
        var finished = start
        for (index, part) in results.values.enumerated() {
            if let failure = part.pinFailure { throw .cannotPin(cpu: workers[index].cpu ?? -1, reason: failure) }
            sample.responses += part.responses
            sample.latency.add(part.latency)
            sample.errors.add(part.errors)
            sample.abandoned += part.abandoned
            sample.clientCPUSeconds += part.cpuSeconds
            sample.firstWrong = sample.firstWrong ?? part.firstWrong
            finished = max(finished, part.finishedAt)
        }
        sample.wallSeconds = Double(finished - start) / 1e9
        return sample
    }

    /// Responses received over every sample so far.
    public var responses: Int { workers.reduce(0) { $0 + $1.responses } }
    /// Requests sent over every sample whose answer never came.
    public var abandoned: Int { workers.reduce(0) { $0 + $1.abandoned } }

    /// Closes every connection.
    public func close() {
        workers.forEach { $0.close() }
    }
}

/// One result per thread, written once by each.
package final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    package init(count: Int) { slots = Array(repeating: nil, count: count) }

    package func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }

    /// Every value; call after all threads finished.
    package var values: [Value] { lock.withLock { slots.compactMap { $0 } } }
}
