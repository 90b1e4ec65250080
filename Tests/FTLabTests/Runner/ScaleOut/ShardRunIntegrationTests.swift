import Foundation
import Testing
import FTLabCore

/// `ftlab run --shard` on the real pair: the parts of a plan merge into exactly the run done
/// in one piece, `--resume` continues a shard, and merge names a missing or doubled shard.
@Suite("sharded runs on the lab pair", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct ShardRunIntegrationTests {
    static let plan = ["run", "tiny/sum", "--workloads-dir", TestPaths.fixtures + "/workloads", "--python", PinnedPair.gil,
                       "--python", PinnedPair.freeThreaded, "--threads", "1", "--quick", "--processes", "2",
                       "--samples", "3", "--target-seconds", "0.03", "--quiet"]

    static func configurations(_ path: String) throws -> Set<String> {
        Set(try ResultReader(path: path).rows.map { $0.configurationKey() })
    }

    @Test("two shards merge into the configurations of the whole run, which report and compare read as one run")
    func shardsMergeIntoTheWholeRun() throws {
        let dir = TestPaths.scratch()
        for i in 1...2 {
            let part = try ftlab(Self.plan + ["--shard", "\(i)/2", "-o", dir + "/part-\(i).csv"])
            #expect(part.status == 0, "stderr: \(part.stderr)")
        }
        let whole = try ftlab(Self.plan + ["-o", dir + "/whole.csv"])
        #expect(whole.status == 0, "stderr: \(whole.stderr)")
        let first = try ResultReader(path: dir + "/part-1.csv").rows
        let second = try ResultReader(path: dir + "/part-2.csv").rows
        #expect(Set(first.map(\.shard)) == ["1/2"] && Set(second.map(\.shard)) == ["2/2"])
        #expect(Set((first + second).map(\.planID)).count == 1 && Set((first + second).map(\.runID)).count == 1)
        #expect(Set(first.map(\.interpreter)).isDisjoint(with: second.map(\.interpreter)), "a configuration stays in one shard")

        let merged = try ftlab(["merge", dir + "/part-1.csv", dir + "/part-2.csv", "-o", dir + "/merged.csv"])
        #expect(merged.status == 0, "stderr: \(merged.stderr)")
        #expect(try Self.configurations(dir + "/merged.csv") == Self.configurations(dir + "/whole.csv"))
        #expect(try ResultReader(path: dir + "/merged.csv").rows.count == 12)

        let report = try ftlab(["report", dir + "/merged.csv", "--format", "markdown"])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        #expect(report.stdout.components(separatedBy: "## Run ").count == 2, "one run: \(report.stdout)")
        #expect(report.stdout.contains(PinnedPair.gil) && report.stdout.contains(PinnedPair.freeThreaded))
        let compare = try ftlab(["compare", dir + "/whole.csv", dir + "/merged.csv"])
        #expect(compare.status == 0 || compare.status == 1, "stderr: \(compare.stderr)")
        #expect(compare.stdout.contains("tiny"))

        let missing = try ftlab(["merge", dir + "/part-1.csv", "-o", dir + "/x.csv"])
        #expect(missing.status == 2 && missing.stderr.contains("missing shard 2/2"), "stderr: \(missing.stderr)")
        let doubled = try ftlab(["merge", dir + "/part-1.csv", dir + "/part-2.csv", dir + "/part-2.csv", "-o", dir + "/x.csv"])
        #expect(doubled.status == 2 && doubled.stderr.contains("shard 2/2 twice"), "stderr: \(doubled.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.csv"), "a refused merge writes nothing")
    }

    @Test("--resume continues a shard and refuses another shard's file; a bad or empty shard exits 2")
    func resumeAndBadSpecs() throws {
        let dir = TestPaths.scratch()
        let csv = dir + "/part-1.csv"
        #expect(try ftlab(Self.plan + ["--shard", "1/2", "-o", csv]).status == 0)
        // Drop the last process, as a killed task leaves its file; --resume runs only it again.
        let rows = try ResultReader(path: csv).rows
        try ResultFile.rewrite(path: csv, keeping: rows.filter { $0.process == 1 })
        let resumed = try ftlab(Self.plan + ["--shard", "1/2", "--resume", "-o", csv])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        let after = try ResultReader(path: csv).rows
        #expect(after.count == rows.count && Set(after.map(\.runID)) == Set(rows.map(\.runID)))
        #expect(after.map(\.process) == rows.map(\.process))

        let other = try ftlab(Self.plan + ["--shard", "2/2", "--resume", "-o", csv])
        #expect(other.status == 2 && other.stderr.contains("holds shard 1/2 of plan"), "stderr: \(other.stderr)")
        let bad = try ftlab(Self.plan + ["--shard", "3/2", "-o", dir + "/x.csv"])
        #expect(bad.status == 2 && bad.stderr.contains("bad --shard \"3/2\"; expected I/N with 1 <= I <= N"))
        let empty = try ftlab(Self.plan + ["--shard", "3/3", "-o", dir + "/x.csv"])
        #expect(empty.status == 2 && empty.stderr.contains("the plan has only 2 configurations"), "stderr: \(empty.stderr)")
    }
}
