import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// How much load ftlab's load generator can produce, against `wrk` on the same server in the
/// same run: the canned server on one CPU, each client in turn on another CPU, with the same
/// connections and duration, alternating rounds so drift of the machine hits both alike.
public struct ClientCapacity: Sendable {
    /// One client's round.
    public struct Round: Sendable, Equatable {
        public var client: String
        public var requestsPerSecond: Double
        /// The client's CPU time over the round's wall time (1: one CPU busy all along).
        public var clientUtilisation: Double
        /// The canned server's CPU utilisation over the round.
        public var serverUtilisation: Double
        public var errors: Int

        /// Requests per second of client CPU time: the client's capacity on one free CPU, which
        /// a shared machine's contention does not skew the way it skews raw requests/s.
        public var requestsPerCPUSecond: Double { requestsPerSecond / clientUtilisation }
    }

    /// Seconds per round (whole seconds: wrk's `-d`).
    public var seconds: Int
    public var connections: Int
    public var rounds: Int
    public var serverCPU: Int?
    public var clientCPU: Int?
    /// The wrk executable.
    public var wrk: String
    /// `ftlab`, whose `_launch` pins wrk to the client CPU.
    public var launcher: String

    public init(seconds: Int, connections: Int, rounds: Int, serverCPU: Int?, clientCPU: Int?, wrk: String, launcher: String) {
        self.seconds = seconds
        self.connections = connections
        self.rounds = rounds
        self.serverCPU = serverCPU
        self.clientCPU = clientCPU
        self.wrk = wrk
        self.launcher = launcher
    }

    /// Runs the rounds: load generator, wrk, load generator, wrk...
    public func measure() async throws -> [Round] {
        let server = try CannedServer(cpu: serverCPU)
        defer { server.stop() }
        var rounds: [Round] = []
        for _ in 0..<self.rounds {
            rounds.append(try await loadGeneratorRound(server))
            rounds.append(try await wrkRound(server))
        }
        return rounds
    }

    /// The median of `figure` over the load generator's rounds, divided by that over wrk's.
    public static func ratio(_ rounds: [Round], _ figure: (Round) -> Double) -> Double {
        func median(_ client: String) -> Double { Descriptive.median(rounds.filter { $0.client == client }.map(figure)) }
        return median("ftlab") / median("wrk")
    }

    private func loadGeneratorRound(_ server: CannedServer) async throws -> Round {
        let options = LoadOptions(connections: connections, clientCPUs: clientCPU.map { [$0] } ?? [])
        let before = server.cpuSeconds
        let (sample, error) = await onDedicatedThread { () -> (LoadSample?, LoadGenError?) in
            do throws(LoadGenError) {
                let load = try LoadGenerator(port: server.port, mix: server.mix, options: options)
                defer { load.close() }
                return (try load.sample(seconds: Double(seconds)), nil)
            } catch {
                return (nil, error)
            }
        }
        guard let sample else { throw error! }
        return Round(client: "ftlab", requestsPerSecond: sample.throughput, clientUtilisation: sample.clientUtilisation,
                     serverUtilisation: (server.cpuSeconds - before) / sample.wallSeconds, errors: sample.errors.total)
    }

    private func wrkRound(_ server: CannedServer) async throws -> Round {
        let pin = clientCPU.map { [launcher, "_launch", "--cpus", String($0), "--"] } ?? []
        let command = pin + [wrk, "-t1", "-c\(connections)", "-d\(seconds)s", "http://127.0.0.1:\(server.port)/"]
        let log = NSTemporaryDirectory() + "ftlab-wrk-\(getpid()).log"
        let before = server.cpuSeconds
        let childCPUBefore = Self.childrenCPUSeconds()
        let result = try await ProcessRunner.run(ProcessSpec(
            executable: command[0], arguments: Array(command.dropFirst()), timeoutSeconds: Double(seconds + 30), stderrLogPath: log))
        guard case .exited(0) = result.ending, let rate = Self.requestsPerSecond(wrkOutput: result.protocolOutput) else {
            throw LoadGenError.wrkFailed("\(result.protocolOutput) \(result.stderrTail)")
        }
        // wrk is the only child reaped meanwhile: the children's rusage grew by its CPU time.
        let wrkCPU = Self.childrenCPUSeconds() - childCPUBefore
        return Round(client: "wrk", requestsPerSecond: rate, clientUtilisation: wrkCPU / result.elapsedSeconds,
                     serverUtilisation: (server.cpuSeconds - before) / result.elapsedSeconds,
                     errors: Self.errors(wrkOutput: result.protocolOutput))
    }

    /// User + system CPU time of every reaped child process so far.
    package static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// The `Requests/sec:` figure of wrk's report.
    package static func requestsPerSecond(wrkOutput: String) -> Double? {
        wrkOutput.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }
            .flatMap { Double($0.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces)) }
    }

    /// Socket errors and non-2xx responses in wrk's report.
    package static func errors(wrkOutput: String) -> Int {
        var total = 0
        for line in wrkOutput.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("Non-2xx or 3xx responses:") {
                total += Int(text.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
            } else if text.hasPrefix("Socket errors:") {
                // "Socket errors: connect 0, read 0, write 0, timeout 0"
                total += text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .punctuationCharacters)) }.reduce(0, +)
            }
        }
        return total
    }
}
