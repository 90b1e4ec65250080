import ArgumentParser
import Foundation
import FTLabCore
import FTLabHarness
import FTLabRunner

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start a server workload alone and print its URL, for wrk, ab, curl or your own client.",
        discussion: """
            The server runs as in `ftlab run` (same harness, placement and allocator), but nothing
            sends it load: point your own client at the URL, ideally pinned to the CPUs printed
            for the client. Ctrl-C stops the server cleanly and prints how many requests it served.

            Examples:
              ftlab serve http-handling/thread-pool --threads 2
              ftlab serve http-handling/asyncio --python cpython-3.13.5 --port 8080
              taskset -c 1 wrk -t1 -c8 -d10s http://127.0.0.1:8080/item/7

            Exit codes: 0 stopped cleanly; 1 the server failed to start or died; 2 bad input.
            """)

    @Argument(help: "WORKLOAD or WORKLOAD/VARIANT of a server workload (default variant: the first).")
    var selector: String = "http-handling"

    @Option(help: "Worker threads of the server.")
    var threads: Int = 1

    @Option(help: "Port to listen on (default: any free port).")
    var port: Int = 0

    @Option(help: ArgumentHelp(
        "Address to listen on. Loopback keeps the server unreachable from other machines; another address "
            + "(e.g. 0.0.0.0 for a client on another host) is served with a warning.", valueName: "ADDRESS"))
    var host: String = ServeSession.loopback

    @Option(help: ArgumentHelp("Interpreter: a path or a lab label (default: the lab's free-threaded build).",
                               valueName: "PATH|LABEL"))
    var python: String?

    @OptionGroup var placementOptions: PlacementOptions

    @Option(help: ArgumentHelp("Allocator: system|jemalloc|mimalloc|tcmalloc|PATH.so.", valueName: "NAME"))
    var allocator: String = "system"

    @OptionGroup var settings: SettingsOptions

    @OptionGroup var workloads: WorkloadsDirOptions

    @OptionGroup var quietOptions: QuietOptions

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("bad --port \(port); expected 0 (any free port) or a port number up to 65535")
        }
        guard threads >= 1 else { throw ValidationError("bad --threads \(threads); expected a positive integer") }
    }

    func run() async throws {
        var options = ServeSession.Options()
        options.selector = selector
        options.threads = threads
        options.port = port
        options.host = host
        options.python = python
        options.placement = placementOptions.placement
        options.allocator = allocator
        options.env = settings.env
        options.params = settings.params
        options.workloadsDirectories = workloads.workloadsDirs
        options.quiet = quietOptions.quiet
        let session = try await ServeSession.prepare(options)
        if !ServeSession.isLoopback(host) {
            Diagnostics.warning("serving on \(host), not loopback: other machines can reach this server; "
                                + "its figures then include the network")
        }
        let stop = GracefulStop.install()
        let configuration = session.unit.configuration, log = session.logPath
        let outcome = try await session.run(shouldStop: { stop.requested }) { hello, listening in
            let banner = Self.banner(configuration, hello: hello, listening: listening) + "\nserver stderr: \(log)\n"
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        switch outcome {
        case .stopped(let bye):
            FileHandle.standardOutput.write(Data("stopped: \(bye.checksum)\(bye.verified ? "" : "; \(bye.message)")\n".utf8))
            if !bye.verified { throw ExitCode(1) }
        case .failed(let reason):
            Diagnostics.error(reason)
            throw ExitCode(1)
        }
    }

    /// What is serving where, the URL, a few routes, and where to pin a client.
    static func banner(_ configuration: RunConfiguration, hello: HarnessHello, listening: HarnessListening) -> String {
        let base = "http://\(listening.host):\(listening.port)"
        let cpus = configuration.placement.threadCPUs
        let client = configuration.placement.clientCPUs
        var lines = [
            "serving \(configuration.workload.name)/\(configuration.variant) on \(configuration.interpreter.label) "
                + "(\(hello.build), GIL \(hello.gilEnabled ? "on" : "off")), \(configuration.threads) thread"
                + "\(configuration.threads == 1 ? "" : "s")"
                + (cpus.isEmpty ? ", unpinned" : " on CPU \(cpus.map(String.init).joined(separator: ","))"),
            "url: \(base)/",
        ]
        // One example per route (targets differ by their first path segment).
        var seen = Set<Substring>()
        let examples = listening.requests.filter { seen.insert($0.target.split { $0 == "/" || $0 == "?" }.first ?? "").inserted }
        lines += examples.map { "  \(base)\($0.target)" }
        if let first = examples.first {
            let pin = client.isEmpty ? "" : "taskset -c \(client.map(String.init).joined(separator: ",")) "
            lines.append("e.g.: \(pin)wrk -t1 -c8 -d10s '\(base)\(first.target)'")
        }
        lines.append("Ctrl-C stops the server.")
        return lines.joined(separator: "\n")
    }
}
