import Testing
import FTLabRunner

/// Every policy's plan, exactly, on each captured tree.
@Suite struct PlannerTests {
    private func plan(_ fixture: SysfsFixture, _ threads: Int, _ policy: String) throws -> PlacementPlan {
        try Planner.plan(threads: threads, policy: PlacementPolicy(parsing: policy), topology: fixture.topology())
    }

    private func expectError(_ fixture: SysfsFixture, _ threads: Int, _ policy: String, _ error: PlacementError) {
        #expect(throws: error) { try plan(fixture, threads, policy) }
    }

    // MARK: this machine: 1 node, CPUs 0-1, no SMT

    @Test func thisMachinePolicies() throws {
        #expect(try plan(.thisMachine, 2, "none") == PlacementPlan(
            policy: "none", threads: 2, threadCPUs: [], processCPUs: [0, 1], memoryPolicy: .local, memNodes: [], warnings: []))
        #expect(try plan(.thisMachine, 2, "compact") == PlacementPlan(
            policy: "compact", threads: 2, threadCPUs: [0, 1], processCPUs: [0, 1], memoryPolicy: .local, memNodes: [], warnings: []))
        #expect(try plan(.thisMachine, 1, "compact").processCPUs == [0])
        #expect(try plan(.thisMachine, 2, "spread").threadCPUs == [0, 1])
        #expect(try plan(.thisMachine, 2, "node:0") == PlacementPlan(
            policy: "node:0", threads: 2, threadCPUs: [0, 1], processCPUs: [0, 1], memoryPolicy: .bind, memNodes: [0], warnings: []))
        #expect(try plan(.thisMachine, 2, "cpus:1,0") == PlacementPlan(
            policy: "cpus:1,0", threads: 2, threadCPUs: [1, 0], processCPUs: [0, 1], memoryPolicy: .local, memNodes: [], warnings: []))
    }

    @Test func oversubscriptionReusesCPUsRoundRobin() throws {
        let compact = try plan(.thisMachine, 3, "compact")
        #expect(compact.threadCPUs == [0, 1, 0])
        #expect(compact.warnings == ["oversubscribed: 3 threads on 2 CPUs; CPUs are reused round-robin"])
        let single = try plan(.thisMachine, 2, "cpus:1")
        #expect(single.threadCPUs == [1, 1])
        #expect(single.processCPUs == [1])
        #expect(single.warnings == ["oversubscribed: 2 threads on 1 CPU; CPUs are reused round-robin"])
        #expect(try plan(.thisMachine, 4, "none").warnings == ["oversubscribed: 4 threads on 2 CPUs; CPUs are reused round-robin"])
        #expect(try plan(.twoSocket, 40, "compact").threadCPUs[32...] == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func withoutNUMAMemoryIsNotBound() throws {
        var topology = try SysfsFixture.thisMachine.topology()
        topology.numa = false
        let plan = try Planner.plan(threads: 2, policy: .node(0), topology: topology)
        #expect(plan.memoryPolicy == .local)
        #expect(plan.memNodes == [])
        #expect(plan.warnings == ["no NUMA support: memory is not bound to node 0"])
    }

    @Test func thisMachineBadInput() {
        expectError(.thisMachine, 2, "node:1", .noSuchNode(policy: "node:1", node: 1, nodes: [0]))
        expectError(.thisMachine, 1, "cpus:2", .noSuchCPU(policy: "cpus:2", cpu: 2, online: [0, 1]))
        expectError(.thisMachine, 0, "compact", .badThreadCount(0))
    }

    // MARK: 2 sockets x 8 cores x 2 threads; CPU N and N+16 are siblings

    @Test func twoSocketCompactFillsPhysicalCoresThenSiblingsThenNextNode() throws {
        #expect(try plan(.twoSocket, 4, "compact") == PlacementPlan(
            policy: "compact", threads: 4, threadCPUs: [0, 1, 2, 3], processCPUs: [0, 1, 2, 3],
            memoryPolicy: .local, memNodes: [], warnings: []))
        #expect(try plan(.twoSocket, 8, "compact").threadCPUs == Array(0...7))
        let ten = try plan(.twoSocket, 10, "compact")
        #expect(ten.threadCPUs == Array(0...7) + [16, 17])
        #expect(ten.warnings == ["SMT siblings used: CPUs 0,16 1,17 share physical cores"])
        let twenty = try plan(.twoSocket, 20, "compact")
        #expect(twenty.threadCPUs == Array(0...7) + Array(16...23) + [8, 9, 10, 11])
        #expect(twenty.processCPUs == Array(0...11) + Array(16...23))
        #expect(twenty.warnings.last == "cross-node: threads run on nodes 0-1 (distance up to 21)")
    }

    @Test func twoSocketSpreadAlternatesSocketsPhysicalCoresFirst() throws {
        #expect(try plan(.twoSocket, 4, "spread") == PlacementPlan(
            policy: "spread", threads: 4, threadCPUs: [0, 8, 1, 9], processCPUs: [0, 1, 8, 9],
            memoryPolicy: .local, memNodes: [], warnings: ["cross-node: threads run on nodes 0-1 (distance up to 21)"]))
        let sixteen = try plan(.twoSocket, 16, "spread")
        #expect(sixteen.threadCPUs == (0...7).flatMap { [$0, $0 + 8] })
        #expect(!sixteen.warnings.contains { $0.hasPrefix("SMT") })
        let eighteen = try plan(.twoSocket, 18, "spread")
        #expect(eighteen.threadCPUs.suffix(2) == [16, 24])
        #expect(eighteen.warnings.first == "SMT siblings used: CPUs 0,16 8,24 share physical cores")
    }

    @Test func twoSocketNodeAndCPUs() throws {
        #expect(try plan(.twoSocket, 4, "node:1") == PlacementPlan(
            policy: "node:1", threads: 4, threadCPUs: [8, 9, 10, 11], processCPUs: Array(8...15) + Array(24...31),
            memoryPolicy: .bind, memNodes: [1], warnings: []))
        #expect(try plan(.twoSocket, 10, "node:1").threadCPUs == Array(8...15) + [24, 25])
        #expect(try plan(.twoSocket, 2, "cpus:0,16").warnings == ["SMT siblings used: CPUs 0,16 share physical cores"])
        #expect(try plan(.twoSocket, 2, "cpus:0,8").warnings == ["cross-node: threads run on nodes 0-1 (distance up to 21)"])
        #expect(try plan(.twoSocket, 64, "none").warnings == ["oversubscribed: 64 threads on 32 CPUs; CPUs are reused round-robin"])
    }

    @Test func missingNodeNamesWhatTheMachineHas() {
        let error = PlacementError.noSuchNode(policy: "node:9", node: 9, nodes: [0, 1])
        expectError(.twoSocket, 4, "node:9", error)
        #expect(error.description == "placement \"node:9\": no NUMA node 9; this machine has node(s) 0-1")
        #expect(error.exitCode == 2)
    }

    // MARK: 4 nodes of 2 CPUs; node 3 has no memory

    @Test func fourNodeCompactAndSpread() throws {
        let compact = try plan(.fourNodeMemoryless, 3, "compact")
        #expect(compact.threadCPUs == [0, 1, 2])
        #expect(compact.warnings == ["cross-node: threads run on nodes 0-1 (distance up to 16)"])
        let spread = try plan(.fourNodeMemoryless, 4, "spread")
        #expect(spread.threadCPUs == [0, 2, 4, 6])
        #expect(spread.warnings == ["cross-node: threads run on nodes 0-3 (distance up to 22)"])
        #expect(try plan(.fourNodeMemoryless, 8, "spread").threadCPUs == [0, 2, 4, 6, 1, 3, 5, 7])
        #expect(try plan(.fourNodeMemoryless, 2, "node:2").memNodes == [2])
    }

    @Test func memorylessNodeBindsTheNearestMemory() throws {
        #expect(try plan(.fourNodeMemoryless, 2, "node:3") == PlacementPlan(
            policy: "node:3", threads: 2, threadCPUs: [6, 7], processCPUs: [6, 7], memoryPolicy: .bind, memNodes: [0],
            warnings: ["node 3 has no memory; memory is bound to the nearest node with memory, node 0 (distance 16)"]))
    }

    // MARK: CPUs 2 and 6 offline, CPU 7 outside the cpuset; N and N+4 siblings

    @Test func offlineTreeUsesOnlyAllowedOnlineCPUs() throws {
        let five = try plan(.cpusOffline, 5, "compact")
        #expect(five.threadCPUs == [0, 1, 3, 4, 5])
        #expect(five.warnings == ["SMT siblings used: CPUs 0,4 1,5 share physical cores"])
        #expect(try plan(.cpusOffline, 3, "compact").threadCPUs == [0, 1, 3])
        #expect(try plan(.cpusOffline, 3, "spread").threadCPUs == [0, 1, 3])
        #expect(try plan(.cpusOffline, 1, "none").processCPUs == [0, 1, 3, 4, 5])
        #expect(try plan(.cpusOffline, 6, "node:0").threadCPUs == [0, 1, 3, 4, 5, 0])
    }

    @Test func offlineOrForbiddenCPUIsNamed() {
        let offline = PlacementError.cpuOffline(policy: "cpus:2", cpu: 2, online: [0, 1, 3, 4, 5, 7])
        expectError(.cpusOffline, 1, "cpus:2", offline)
        #expect(offline.description == "placement \"cpus:2\": CPU 2 is offline; online CPUs: 0-1,3-5,7")
        let forbidden = PlacementError.cpuNotAllowed(policy: "cpus:3,7", cpu: 7, allowed: [0, 1, 3, 4, 5])
        expectError(.cpusOffline, 2, "cpus:3,7", forbidden)
        #expect(forbidden.description == "placement \"cpus:3,7\": CPU 7 is outside the CPUs this process may use (0-1,3-5)")
        expectError(.cpusOffline, 1, "cpus:9", .noSuchCPU(policy: "cpus:9", cpu: 9, online: [0, 1, 3, 4, 5, 7]))
    }

    @Test func planSummaryListsEachThread() throws {
        let topology = try SysfsFixture.twoSocket.topology()
        let plan = try Planner.plan(threads: 2, policy: .cpus([0, 16]), topology: topology)
        #expect(plan.summaryText(topology: topology) == """
            placement cpus:0,16, 2 threads
            thread cpu node package core siblings
            ------ --- ---- ------- ---- --------
            0      0   0    0       0    0,16
            1      16  0    0       0    0,16
            process CPUs: 0,16
            memory: local
            warning: SMT siblings used: CPUs 0,16 share physical cores
            """)
    }
}
