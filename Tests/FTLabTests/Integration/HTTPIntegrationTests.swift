import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import FTLabCore
import FTLabLoadGen
import FTLabRunner

extension LoadSensitiveTests {
    /// http-handling end to end: real servers on the lab pair, real sockets on 127.0.0.1, ftlab's
    /// load generator. Tiny samples; no timing asserts.
    @Suite("http-handling, end to end", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
    struct HTTPIntegrationTests {
        static let tiny = ["--processes", "1", "--samples", "2", "--warmups", "1", "--target-seconds", "0.1"]

        @Test("every variant on both builds at 1 and 2 threads: verified answers, latency percentiles, client pinned apart")
        func variants() throws {
            let csv = TestPaths.scratch() + "/http.csv"
            let stdlib = ["thread-per-connection", "thread-pool", "asyncio", "asyncio-per-thread"].map { "http-handling/\($0)" }
            let run = try ftlab(["run"] + stdlib + ["--threads", "1,2", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stderr.contains("skipped http-handling/asyncio at 2 threads"), "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            let expected: Set<String> = [
                "thread-per-connection 1", "thread-per-connection 2", "thread-pool 1", "thread-pool 2",
                "asyncio 1", "asyncio-per-thread 1", "asyncio-per-thread 2",
            ]
            #expect(Set(rows.map { "\($0.variant) \($0.threads)" }) == expected)
            #expect(rows.count == expected.count * 2 * 2)  // x 2 builds x 2 samples
            for row in rows {
                let name = "\(row.interpreter) \(row.variant) threads=\(row.threads)"
                #expect(row.status == .ok, "\(name): \(row.message)")
                #expect(row.unit == "requests" && row.ops > 0 && row.throughput > 0, "\(name)")
                let p50 = try #require(row.latencyP50us, "\(name)")
                let p99 = try #require(row.latencyP99us, "\(name)")
                let p999 = try #require(row.latencyP999us, "\(name)")
                #expect(0 < p50 && p50 <= p99 && p99 <= p999, "\(name)")
                #expect(row.observedCPUs.split(separator: " ").allSatisfy { row.cpus.split(separator: " ").contains($0) },
                        "\(name): server threads ran where planned")
                #expect(row.clientCPUs == "1", "\(name): the client on the CPU the server's plan leaves (2-CPU machine)")
                #expect((row.clientCPUUtil ?? 0) > 0, "\(name)")
                #expect(row.build == (row.interpreter.hasSuffix("t") ? "freethreaded" : "gil"))
                #expect(row.gilEnabled == (row.build == "gil"))
            }
            #expect(run.stdout.contains("Server workloads, as the load generator saw them"))
            #expect(run.stdout.contains("http-handling / thread-pool"))
        }

        @Test("a server that cannot bind its port is a failed row, and the suite goes on")
        func portInUse() throws {
            let holder = try CannedServer()
            defer { holder.stop() }
            let csv = TestPaths.scratch() + "/busy.csv"
            let run = try ftlab(["run", "broken-server", "--workloads-dir", TestPaths.fixtures + "/faulty-workloads",
                                 "--python", PinnedPair.freeThreaded, "--param", "port=\(holder.port)", "--timeout", "4", "-o", csv] + Self.tiny)
            #expect(run.status == 1, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            let busy = try #require(rows.first { $0.variant == "busy-port" })
            #expect(busy.status == .failed)
            #expect(busy.message.contains("Address already in use"), "\(busy.message)")
            let silent = try #require(rows.first { $0.variant == "silent" })
            #expect(silent.status == .failed)
            #expect(silent.message.contains("did not come within 2 s"), "\(silent.message)")
            #expect(processes(commandLineContaining: "faulty-workloads/broken-server").isEmpty, "the silent server was killed")
        }

        /// Starts `ftlab serve` with `arguments`; returns the process and the file its stdout goes to.
        func serve(_ arguments: [String]) throws -> (Process, String) {
            let out = TestPaths.scratch() + "/serve.out"
            FileManager.default.createFile(atPath: out, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestPaths.ftlab)
            process.arguments = ["serve"] + arguments
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: out)
            try process.run()
            return (process, out)
        }

        @Test("ftlab serve prints the URL, a plain client gets a route; Ctrl-C, SIGTERM or SIGHUP stop it cleanly, no port left bound",
              arguments: [("127.0.0.1", SIGINT), ("127.0.0.2", SIGTERM), ("127.0.0.3", SIGHUP)])
        func serveAndFetch(host: String, signal: Int32) async throws {
            let (process, out) = try serve(["http-handling/thread-per-connection", "--python", PinnedPair.gil, "--host", host])
            var itemURL: URL?
            for _ in 0..<300 where itemURL == nil && process.isRunning {
                try await Task.sleep(for: .milliseconds(100))
                let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
                itemURL = text.split(separator: "\n").compactMap { line in
                    line.split(separator: " ").first { $0.hasPrefix("http://\(host):") && $0.contains("/item/") }
                }.first.flatMap { URL(string: String($0)) }
            }
            let url = try #require(itemURL, "no URL printed: \((try? String(contentsOfFile: out, encoding: .utf8)) ?? "")")
            let (data, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            let item = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(item["id"] as? Int == Int(url.lastPathComponent))
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(process.terminationStatus == 0, "\(text)")
            #expect(!text.contains("not loopback"), "\(text)")
            #expect(!Self.listening(on: url.port ?? 0), "the port is free again")
            #expect(text.contains("stopped: 1 served"), "\(text)")
            #expect(processes(commandLineContaining: TestPaths.repository + "/Workloads/http-handling").isEmpty, "no server left behind")
        }

        /// Whether a TCP socket listens on `port` on this machine (`/proc/net/tcp`, state 0A).
        static func listening(on port: Int) -> Bool {
            let hex = String(format: ":%04X", port)
            let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
            return table.split(separator: "\n").contains { line in
                let fields = line.split(separator: " ")
                return fields.count > 3 && fields[1].hasSuffix(hex) && fields[3] == "0A"
            }
        }

        @Test("serving beyond loopback is said out loud")
        func loopbackCheck() {
            for host in ["127.0.0.1", "127.8.9.10", "::1", "localhost"] { #expect(ServeSession.isLoopback(host), "\(host)") }
            for host in ["0.0.0.0", "10.0.0.1", "128.0.0.1", "127.0.0", "::", "example.com"] { #expect(!ServeSession.isLoopback(host), "\(host)") }
        }

        @Test("ftlab serve on a port in use fails (exit 1) and says why")
        func servePortInUse() throws {
            let holder = try CannedServer()
            defer { holder.stop() }
            let run = try ftlab(["serve", "http-handling/thread-pool", "--port", String(holder.port)])
            #expect(run.status == 1)
            #expect(run.stderr.contains("Address already in use"), "stderr: \(run.stderr)")
        }

        @Test("ftlab serve (and explain, which measures batch workloads only) refuse bad input with exit 2", arguments: [
            (["serve", "log-processing"], "not a server workload"),
            (["explain", "http-handling/thread-pool", "--threads", "2"], "is a server workload"),
            (["serve", "http-handling/asyncio", "--threads", "2"], "at most 1 thread"),
            (["serve", "--port", "70000"], "--port 70000"),
            (["serve", "http-handling/nope"], "nope"),
        ])
        func serveBadInput(arguments: [String], named: String) throws {
            let run = try ftlab(arguments)
            #expect(run.status == 2, "stderr: \(run.stderr)")
            #expect(run.stderr.contains(named), "stderr: \(run.stderr)")
        }

        @Test("Ctrl-C during a server run kills the server's process group and exits 130")
        func interrupt() async throws {
            let csv = TestPaths.scratch() + "/int.csv"
            let process = try launchFTLab(["run", "http-handling/thread-pool", "--python", PinnedPair.gil, "--threads", "1",
                                           "--processes", "1", "--samples", "100", "--target-seconds", "0.2", "-o", csv])
            let serverPID = try await waitFor { processes(commandLineContaining: TestPaths.repository + "/Workloads/http-handling").first }
            let pid = try #require(serverPID, "the server never started")
            try await Task.sleep(for: .milliseconds(500))
            kill(process.processIdentifier, SIGINT)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            try await Task.sleep(for: .milliseconds(200))
            #expect(kill(pid, 0) != 0, "the server process is gone")
        }
    }
}
