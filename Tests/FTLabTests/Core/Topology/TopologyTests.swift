import Foundation
import Testing
@testable import FTLabCore
import FTLabRunner

@Suite struct TopologyTests {
    @Test func thisMachine() throws {
        let topology = try SysfsFixture.thisMachine.topology()
        #expect(topology.model == "AMD EPYC")
        #expect(topology.onlineCPUs == [0, 1])
        #expect(topology.offlineCPUs == [])
        #expect(topology.allowedCPUs == [0, 1])
        #expect(topology.nodes == [Topology.Node(id: 0, cpus: [0, 1], memoryKiB: 5_466_316, memoryless: false, distances: [10])])
        #expect(topology.cpus == [
            Topology.CPU(id: 0, node: 0, core: 0, package: 0, siblings: [0]),
            Topology.CPU(id: 1, node: 0, core: 1, package: 0, siblings: [1]),
        ])
        #expect(!topology.smt)
        #expect(topology.numa)
        #expect(topology.warnings == ["1 NUMA node: placement policies differ only in CPU choice"])
    }

    @Test func twoSocketsWithSMT() throws {
        let topology = try SysfsFixture.twoSocket.topology()
        #expect(topology.model == "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz")
        #expect(topology.onlineCPUs == Array(0...31))
        #expect(topology.allowedCPUs == Array(0...31))
        #expect(topology.nodes.map(\.id) == [0, 1])
        #expect(topology.nodes[0].cpus == Array(0...7) + Array(16...23))
        #expect(topology.nodes[1].cpus == Array(8...15) + Array(24...31))
        #expect(topology.nodes.map(\.memoryKiB) == [97_456_780, 98_566_784])
        #expect(topology.nodes.map(\.distances) == [[10, 21], [21, 10]])
        #expect(topology.distance(from: 1, to: 0) == 21)
        #expect(topology.distance(from: 1, to: 5) == nil)
        #expect(topology.cpu(17) == Topology.CPU(id: 17, node: 0, core: 1, package: 0, siblings: [1, 17]))
        #expect(topology.cpu(13) == Topology.CPU(id: 13, node: 1, core: 8, package: 1, siblings: [13, 29]))
        #expect(topology.smt)
        #expect(topology.warnings == [])
    }

    @Test func memorylessNode() throws {
        let topology = try SysfsFixture.fourNodeMemoryless.topology()
        #expect(topology.model == nil)
        #expect(topology.nodes.map(\.cpus) == [[0, 1], [2, 3], [4, 5], [6, 7]])
        #expect(topology.nodes.map(\.memoryless) == [false, false, false, true])
        #expect(topology.nodes[3].memoryKiB == 0)
        #expect(topology.distance(from: 0, to: 2) == 22)
        #expect(!topology.smt)
        #expect(topology.warnings == ["node 3 has CPUs but no memory: its threads allocate from other nodes"])
    }

    @Test func offlineCPUsAndACpuset() throws {
        let topology = try SysfsFixture.cpusOffline.topology()
        #expect(topology.onlineCPUs == [0, 1, 3, 4, 5, 7])
        #expect(topology.offlineCPUs == [2, 6])
        #expect(topology.allowedCPUs == [0, 1, 3, 4, 5])
        #expect(topology.cpu(2) == nil)
        #expect(topology.cpu(3)?.siblings == [3, 7])
        #expect(topology.nodes[0].cpus == [0, 1, 3, 4, 5, 7])
        #expect(topology.smt)
        #expect(topology.warnings == [
            "1 NUMA node: placement policies differ only in CPU choice",
            "CPUs 2,6 are offline; plans never use them",
            "this process may use only CPUs 0-1,3-5 of 0-1,3-5,7 (affinity or cgroup cpuset); plans stay inside them",
        ])
    }

    @Test func liveMachineIsSelfConsistent() throws {
        let topology = try Topology.read()
        #expect(!topology.allowedCPUs.isEmpty)
        #expect(Set(topology.allowedCPUs).isSubset(of: topology.onlineCPUs))
        #expect(topology.nodes.flatMap(\.cpus).sorted() == topology.onlineCPUs)
        #expect(topology.cpus.map(\.id) == topology.onlineCPUs)
    }

    @Test(arguments: SysfsFixture.allCases)
    func jsonRoundTrips(fixture: SysfsFixture) throws {
        let topology = try fixture.topology()
        let json = try JSONOutput.string(topology)
        #expect(try JSONDecoder().decode(Topology.self, from: Data(json.utf8)) == topology)
    }

    @Test func summaryShowsNodesDistancesAndSiblings() throws {
        let text = try SysfsFixture.twoSocket.topology().summaryText
        #expect(text.contains("CPUs: 32 online (0-31); offline: none; allowed: 0-31"))
        #expect(text.contains("0    0-7,16-23  0        92.9 GiB"))
        #expect(text.contains("1    21 10"))
        #expect(text.contains("SMT siblings: 0,16 1,17 2,18"))
        #expect(try SysfsFixture.fourNodeMemoryless.topology().summaryText.contains("none (memoryless)"))
    }

    @Test func missingTreeNamesTheFile() {
        #expect(throws: TopologyError.cannotRead(path: "/nonexistent/sys/devices/system/cpu/online", reason: "no such file")) {
            try Topology.read(root: "/nonexistent")
        }
    }

    @Test func malformedFileIsQuoted() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ftlab-topology-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let online = root.appendingPathComponent("sys/devices/system/cpu/online")
        try FileManager.default.createDirectory(at: online.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "0-x\n".write(to: online, atomically: true, encoding: .utf8)
        #expect(throws: TopologyError.badContent(path: online.path, content: "0-x", expected: "a cpulist such as 0-3,8")) {
            try Topology.read(root: root.path)
        }
    }

    @Test func treeWithoutNodesIsOneNode() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ftlab-topology-\(UUID())")
        defer { try? FileManager.default.removeItem(at: root) }
        let source = URL(fileURLWithPath: SysfsFixture.thisMachine.root)
        try FileManager.default.copyItem(at: source, to: root)
        try FileManager.default.removeItem(at: root.appendingPathComponent("sys/devices/system/node"))
        let topology = try Topology.read(root: root.path)
        #expect(topology.nodes == [Topology.Node(id: 0, cpus: [0, 1], memoryKiB: 0, memoryless: false, distances: [10])])
        #expect(!topology.numa)
        #expect(topology.warnings.first == "no sys/devices/system/node (kernel without NUMA): read as one node; memory cannot be bound")
    }
}
