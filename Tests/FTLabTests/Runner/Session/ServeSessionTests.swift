import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabRunner

/// `ftlab serve`'s setup called as a library: the one configuration it plans, and the
/// refusals, without spawning the ftlab binary.
extension LoadSensitiveTests {
    @Suite("serve setup", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
    struct ServeSessionTests {
        static func options(_ selector: String) -> ServeSession.Options {
            var options = ServeSession.Options()
            options.selector = selector
            options.python = PinnedPair.freeThreaded
            options.threads = 2
            options.port = 8123
            options.workloadsDirectories = [TestPaths.fixtures + "/faulty-workloads"]
            options.quiet = true
            return options
        }

        @Test("a server variant: one unit of its configuration, the port and host asked, the stderr log under its folder")
        func plansOneServer() async throws {
            let session = try await ServeSession.prepare(Self.options("broken-server/silent"), launcher: TestPaths.ftlab)
            let configuration = session.unit.configuration
            #expect(configuration.workload.name == "broken-server" && configuration.variant == "silent")
            #expect(configuration.threads == 2 && configuration.interpreter.label == PinnedPair.freeThreaded)
            #expect(session.port == 8123 && session.host == ServeSession.loopback)
            #expect(session.logPath.hasPrefix(NSTemporaryDirectory() + "ftlab-serve-"))
        }

        @Test("a batch workload is refused, naming the server workloads")
        func refusesBatchWorkload() async throws {
            await #expect(throws: ServeError.notAServer("log-processing", servers: ["http-handling", "broken-server"])) {
                try await ServeSession.prepare(Self.options("log-processing"), launcher: TestPaths.ftlab)
            }
        }
    }
}
