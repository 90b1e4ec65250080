import ArgumentParser
import Foundation
import FTLabCore
import FTLabLoadGen

/// `swift run -c release ftlab-bench`: is the load generator fast enough not to be what a
/// server run measures? Its capacity against wrk's, on the same trivial server in the same run.
/// A benchmark, not part of the ftlab product.
@main
struct LoadGenBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ftlab-bench",
        abstract: "Measure the load generator's capacity against wrk on a trivial server (apt-get install wrk).",
        discussion: """
            A one-thread canned HTTP server (the least work per request a server can do) runs on
            one CPU; ftlab's load generator and wrk take turns driving it from another CPU with the
            same connections, for --rounds rounds each. Prints every round, and the ratios (load
            generator / wrk) of the median requests/s and of the median requests per client
            CPU-second (the fair figure on a machine shared with other work).
            """)

    @Option(help: "Seconds per round.")
    var seconds: Int = 2

    @Option(help: "Keep-alive connections, for both clients.")
    var connections: Int = 8

    @Option(help: "Rounds per client.")
    var rounds: Int = 3

    @Option(help: "The wrk executable.")
    var wrk: String = "wrk"

    func run() async throws {
        guard seconds >= 1, connections >= 1, rounds >= 1 else {
            throw ValidationError("--seconds, --connections and --rounds must be at least 1")
        }
        guard let wrkPath = findOnPath(wrk) else {
            throw ValidationError("\(wrk) not found; install it (apt-get install wrk) or pass --wrk PATH")
        }
        let allowed = try Topology.read().allowedCPUs
        let (server, client) = allowed.count >= 2 ? (allowed.first, allowed.last) : (nil, nil)
        let benchmark = ClientCapacity(seconds: seconds, connections: connections, rounds: rounds,
                                       serverCPU: server, clientCPU: client, wrk: wrkPath, launcher: executablePath())
        print("canned server on CPU \(server.map(String.init) ?? "any"), clients on CPU \(client.map(String.init) ?? "any"), "
              + "\(connections) connections, \(seconds) s rounds")
        let results = try await benchmark.measure()
        for round in results {
            print(round.client.padding(toLength: 6, withPad: " ", startingAt: 0) + String(
                format: " %9.0f req/s  client cpu %3.0f%%  %9.0f req per client cpu-s  server cpu %3.0f%%  errors %d",
                round.requestsPerSecond, round.clientUtilisation * 100, round.requestsPerCPUSecond,
                round.serverUtilisation * 100, round.errors))
        }
        print(String(format: "load generator / wrk: %.2f x the requests/s, %.2f x the requests per client CPU-second (medians)",
                     ClientCapacity.ratio(results, \.requestsPerSecond), ClientCapacity.ratio(results, \.requestsPerCPUSecond)))
    }
}
