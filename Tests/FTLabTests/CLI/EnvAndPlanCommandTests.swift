import Foundation
import Testing
import FTLabCore
import FTLabRunner

/// `ftlab env` and `ftlab plan` on a captured tree, through the built binary.
@Suite(.tags(.integration), .skippedInUnitRuns)
struct EnvAndPlanCommandTests {
    /// What `ftlab env --format json` prints (beside `schema`).
    struct EnvReport: Decodable {
        var topology: Topology
        var allocators: [AllocatorStatus]
    }

    @Test func planAndEnvReadACapturedTree() throws {
        let root = SysfsFixture.twoSocket.root
        let plan = try ftlab("plan", "--threads", "4", "--placement", "spread", "--sysfs-root", root, "--json")
        #expect(plan.status == 0)
        let decoded = try JSONDecoder().decode(PlacementPlan.self, from: Data(plan.stdout.utf8))
        #expect(decoded.threadCPUs == [0, 8, 1, 9])
        let env = try ftlab("env", "--json", "--sysfs-root", root)
        #expect(env.status == 0)
        let report = try JSONDecoder().decode(EnvReport.self, from: Data(env.stdout.utf8))
        #expect(report.topology == (try SysfsFixture.twoSocket.topology()))
        #expect(report.allocators.map(\.name) == AllocatorRegistry.knownNames)
        let text = try ftlab("env", "--sysfs-root", root)
        #expect(text.stdout.contains("SMT siblings: 0,16 1,17"))
        #expect(text.stdout.contains("\nallocators:\nname "))
    }

    @Test func planBadInputExits2NamingTheValue() throws {
        let root = SysfsFixture.twoSocket.root
        let node = try ftlab("plan", "--threads", "4", "--placement", "node:9", "--sysfs-root", root)
        #expect(node.status == 2)
        #expect(node.stderr == "ftlab: error: placement \"node:9\": no NUMA node 9; this machine has node(s) 0-1\n")
        let policy = try ftlab("plan", "--threads", "4", "--placement", "fastest")
        #expect(policy.status == 2)
        #expect(policy.stderr.contains("accepted: none, compact, spread, node:N, cpus:LIST"))
        #expect(try ftlab("env", "--sysfs-root", "/nonexistent").status == 2)
    }
}
