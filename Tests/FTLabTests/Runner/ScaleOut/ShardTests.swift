import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabInterpreters
@testable import FTLabRunner

/// `--shard I/N`: the spec, the split of a plan, and merge's completeness check.
@Suite("shards of a run plan")
struct ShardTests {
    @Test("I/N with 1 <= I <= N parses; anything else names the value and the accepted form",
          arguments: ["0/2", "3/2", "1/0", "1", "1/2/3", "a/2", "-1/2", "1/", "/2", " 1/2", "１/2"])
    func badSpecs(_ text: String) {
        #expect(throws: ShardError.badSpec(text)) { try Shard(parsing: text) }
        #expect(ShardError.badSpec(text).description.contains("\"\(text)\"; expected I/N with 1 <= I <= N"))
    }

    @Test func goodSpecs() throws {
        #expect(try Shard(parsing: "1/1").description == "1/1")
        let shard = try Shard(parsing: "3/12")
        #expect(shard.index == 3 && shard.count == 12 && shard.description == "3/12")
    }

    func plan() throws -> RunPlan {
        var request = RunRequest()
        request.selectors = ["log-processing"]
        request.interpreters = [InterpreterChoice(label: "gil", path: "/usr/bin/python3", build: .gil),
                                InterpreterChoice(label: "ft", path: "/usr/bin/python3t", build: .freethreaded)]
        request.threads = [1, 2]
        return try RunPlan.make(request, catalog: try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads),
                                topology: try SysfsFixture.thisMachine.topology())
    }

    @Test("the shards partition the plan by configuration, round robin, the same way every time")
    func partition() throws {
        let plan = try plan()
        #expect(plan.configurations.count == 12)
        var seen: [String] = []
        for i in 1...5 {
            let part = try plan.configurations(in: Shard(index: i, count: 5))
            #expect(part.count == (i <= 2 ? 3 : 2))
            #expect(part.map(\.name) == (try plan.configurations(in: Shard(index: i, count: 5))).map(\.name))
            seen += part.map(\.name)
        }
        #expect(seen.sorted() == plan.configurations.map(\.name).sorted())
        #expect(try plan.configurations(in: Shard(index: 1, count: 1)).map(\.name) == plan.configurations.map(\.name))
        #expect(throws: ShardError.emptyShard(shard: "1/13", configurations: 12)) {
            try plan.configurations(in: Shard(index: 1, count: 13))
        }
    }

    @Test("the two sides of an --ab-env pair stay in one shard")
    func abPairsStayTogether() throws {
        var request = RunRequest()
        request.selectors = ["log-processing/partitioned"]
        request.interpreters = [InterpreterChoice(label: "gil", path: "/usr/bin/python3", build: .gil)]
        request.threads = [1, 2]
        request.abEnv = [EnvSetting(key: "PYTHONMALLOC", value: "malloc")]
        let plan = try RunPlan.make(request, catalog: try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads),
                                    topology: try SysfsFixture.thisMachine.topology())
        #expect(plan.configurations.count == 4)
        let first = try plan.configurations(in: Shard(index: 1, count: 2))
        #expect(first.map(\.threads) == [1, 1] && first.map(\.envText) == ["", "PYTHONMALLOC=malloc"])
        #expect(throws: ShardError.emptyShard(shard: "3/3", configurations: 2)) { try plan.configurations(in: Shard(index: 3, count: 3)) }
    }

    @Test("the plan id names the whole plan and its repetition, not where the interpreters live")
    func planIdentity() throws {
        let plan = try plan()
        let id = plan.identity(repetition: .quick)
        #expect(id.count == 12 && id.allSatisfy(\.isHexDigit))
        #expect(plan.identity(repetition: .quick) == id)
        #expect(plan.identity(repetition: .standard) != id)
        var moved = plan
        for i in moved.configurations.indices { moved.configurations[i].interpreter.path = "/elsewhere/python" }
        #expect(moved.identity(repetition: .quick) == id)
        var fewer = plan
        fewer.configurations.removeLast()
        #expect(fewer.identity(repetition: .quick) != id)
    }

    func rows(run: String = "r", plan: String = "p", shard: String, configurations: Int = 1) -> [ResultRow] {
        (0..<configurations).map { n in
            var row = ResultRow()
            row.runID = run
            row.planID = plan
            row.shard = shard
            row.threads = n + 1
            return row
        }
    }

    @Test("merge's check: every shard once passes; missing, duplicated and mixed shards are named")
    func completeness() throws {
        try ShardCheck.check([("a", rows(shard: "1/3")), ("b", rows(shard: "2/3")), ("c", rows(shard: "3/3", configurations: 2))])
        try ShardCheck.check([("plain", rows(shard: "")), ("one", rows(shard: "1/1"))])
        #expect(throws: ShardError.missing(runID: "r", planID: "p", shards: ["2/3"])) {
            try ShardCheck.check([("a", rows(shard: "1/3")), ("c", rows(shard: "3/3"))])
        }
        #expect(throws: ShardError.duplicated(runID: "r", planID: "p", shard: "1/2", files: ["a", "a"])) {
            try ShardCheck.check([("a", rows(shard: "1/2")), ("a", rows(shard: "1/2")), ("b", rows(shard: "2/2"))])
        }
        #expect(throws: ShardError.self) { try ShardCheck.check([("a", rows(shard: "1/2")), ("b", rows(shard: "2/3"))]) }
        #expect(throws: ShardError.self) {
            try ShardCheck.check([("a", rows(shard: "1/2")), ("b", rows(plan: "q", shard: "2/2"))])
        }
        // Two runs of one plan (one per partition) are checked apart.
        try ShardCheck.check([("a", rows(run: "x", shard: "1/2")), ("b", rows(run: "y", shard: "1/2")),
                              ("c", rows(run: "x", shard: "2/2")), ("d", rows(run: "y", shard: "2/2"))])
        let message = ShardError.missing(runID: "r", planID: "p", shards: ["2/4", "4/4"]).description
        #expect(message.contains("missing shards 2/4, 4/4"))
    }

    @Test("shard and plan_id are trailing columns that round-trip; older files read them as empty")
    func columns() throws {
        let shard = try #require(ResultRow.columns.firstIndex(of: "shard"))
        #expect(Array(ResultRow.columns[shard...].prefix(2)) == ["shard", "plan_id"])
        #expect(shard > ResultRow.columns.firstIndex(of: "packages")!, "appended after the columns before them")
        #expect(ResultRow.laterColumns.isSuperset(of: ["shard", "plan_id"]))
        let row = rows(shard: "2/5")[0]
        let text = ResultWriter.encode([ResultRow.columns, row.fields])
        let back = try ResultReader(text: text).rows[0]
        #expect(back.shard == "2/5" && back.planID == "p")
    }
}
