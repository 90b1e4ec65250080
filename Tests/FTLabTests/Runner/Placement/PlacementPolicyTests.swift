import Testing
import FTLabRunner

@Suite struct PlacementPolicyTests {
    @Test(arguments: [
        ("none", PlacementPolicy.none),
        ("compact", .compact),
        ("spread", .spread),
        ("node:1", .node(1)),
        ("cpus:1,0", .cpus([1, 0])),
        ("cpus:0-3,8", .cpus([0, 1, 2, 3, 8])),
    ])
    func parsesAndPrintsBack(text: String, policy: PlacementPolicy) throws {
        #expect(try PlacementPolicy(parsing: text) == policy)
        #expect(policy.description == text)
    }

    @Test(arguments: ["", "fast", "Compact", "node:", "node:-1", "node:x", "numa:0"])
    func unknownPolicyListsTheAcceptedForms(text: String) {
        #expect(throws: PlacementError.badPolicy(text)) { try PlacementPolicy(parsing: text) }
        #expect(PlacementError.badPolicy(text).description
            == "unknown placement \"\(text)\"; accepted: none, compact, spread, node:N, cpus:LIST (e.g. cpus:0-3,8)")
    }

    @Test func badCPUListNamesThePolicy() {
        let error = PlacementError.badCPUList(policy: "cpus:3-1", .descendingRange(list: "3-1", range: "3-1"))
        #expect(throws: error) { try PlacementPolicy(parsing: "cpus:3-1") }
        #expect(error.description == "placement \"cpus:3-1\": bad CPU list \"3-1\": range 3-1 descends; write it low-high")
        #expect(throws: PlacementError.badCPUList(policy: "cpus:", .empty)) { try PlacementPolicy(parsing: "cpus:") }
    }
}
