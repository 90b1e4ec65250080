import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabHarness
@testable import FTLabInterpreters
@testable import FTLabRunner

/// `--ci-target`: rounds of one more process for exactly the configurations still too wide.
@Suite struct PrecisionTargetTests {
    static let rowMaker = RowMaker(identity: RunIdentity(runID: "r", startedUTC: "t", host: "h", cpuModel: "c",
                                                         kernel: "k", numaNodes: 1, cpusOnline: 2, smt: false, suiteRev: "s"))

    /// Two configurations of the tiny fixture workload: `a` quiet, `b` noisy.
    static func configurations() throws -> [RunConfiguration] {
        let tiny = try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads", extra: []).workload(named: "tiny")
        return ["a", "b"].map { label in
            RunConfiguration(workload: tiny, variant: "sum", params: [:], interpreter: InterpreterChoice(label: label, path: "/p"),
                             threads: 1, placement: .unpinned, allocator: .system, env: [], seed: 1)
        }
    }

    /// Rows of process `process` of `configuration`: 5 samples around a per-process level.
    static func rows(_ configuration: RunConfiguration, process: Int, noise: inout Noise, cv: Double) -> [ResultRow] {
        let level = noise.normal(mean: 1000, sd: 1000 * cv)
        return (1...5).map { sample in
            var row = rowMaker.baseRow(for: configuration)
            row.process = process
            row.sample = sample
            row.throughput = noise.normal(mean: level, sd: level * cv / 4)
            return row
        }
    }

    @Test("adds processes only where the CI is too wide, and stops once every configuration meets the target")
    func stopsWhenMet() throws {
        let configurations = try Self.configurations()
        let target = PrecisionTarget(halfWidth: 0.02, budgetSeconds: 3600, maxProcesses: 200)
        var noise = Noise(seed: 7)
        let cvs = [0.002, 0.05]
        var rows = configurations.enumerated().flatMap { index, c in
            (1...3).flatMap { Self.rows(c, process: $0, noise: &noise, cv: cvs[index]) }
        }
        var rounds = 0
        while true {
            let standings = PrecisionTarget.standings(configurations, rows: rows, rowMaker: Self.rowMaker)
            let round = target.nextRound(standings)
            if round.isEmpty { break }
            #expect(!round.contains { $0.configuration.interpreter.label == "a" }, "the quiet configuration met ±2% at once")
            for unit in round {
                let index = configurations.firstIndex(of: unit.configuration)!
                rows += Self.rows(unit.configuration, process: unit.process, noise: &noise, cv: cvs[index])
            }
            rounds += 1
            try #require(rounds < 200)
        }
        let final = PrecisionTarget.standings(configurations, rows: rows, rowMaker: Self.rowMaker)
        #expect(target.misses(final).isEmpty)
        #expect(final[0].processes == 3)
        #expect(final[1].processes > 3, "the noisy one needed more processes")
        #expect(final.allSatisfy { ($0.halfWidth ?? 1) <= 0.02 })
    }

    @Test("with --ab-env, both sides of a pair get processes until their ratio's CI meets the target")
    func abPairsFollowTheirRatio() throws {
        let tiny = try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads", extra: []).workload(named: "tiny")
        let pair = [[], [EnvSetting(key: "PYTHONMALLOC", value: "malloc")]].map { env in
            RunConfiguration(workload: tiny, variant: "sum", params: [:], interpreter: InterpreterChoice(label: "a", path: "/p"),
                             threads: 1, placement: .unpinned, allocator: .system, env: env, seed: 1)
        }
        let target = PrecisionTarget(halfWidth: 0.02, budgetSeconds: 3600, maxProcesses: 200, pairsByEnv: true)
        var noise = Noise(seed: 11)
        var rows = pair.flatMap { c in (1...3).flatMap { Self.rows(c, process: $0, noise: &noise, cv: 0.03) } }
        let first = PrecisionTarget.standings(pair, rows: rows, rowMaker: Self.rowMaker, pairsByEnv: true)
        #expect(first[0].halfWidth == first[1].halfWidth, "one figure for the pair: its ratio's")
        let alone = PrecisionTarget.standings(pair, rows: rows, rowMaker: Self.rowMaker)
        #expect(first[0].halfWidth! > alone[0].halfWidth!, "a ratio's CI is wider than either side's")
        var rounds = 0
        while case let round = target.nextRound(PrecisionTarget.standings(pair, rows: rows, rowMaker: Self.rowMaker, pairsByEnv: true)),
              !round.isEmpty {
            #expect(round.count == 2, "both sides, together")
            rows += round.flatMap { Self.rows($0.configuration, process: $0.process, noise: &noise, cv: 0.03) }
            rounds += 1
            try #require(rounds < 200)
        }
        let final = PrecisionTarget.standings(pair, rows: rows, rowMaker: Self.rowMaker, pairsByEnv: true)
        #expect(final[0].processes == final[1].processes && final[0].processes > 3)
        #expect(target.misses(final).isEmpty)
    }

    @Test("stops at --max-processes and reports the miss; a configuration with no ok process gets no more")
    func capsAndFailures() throws {
        let configurations = try Self.configurations()
        let target = PrecisionTarget(halfWidth: 0.001, budgetSeconds: 3600, maxProcesses: 4)
        var noise = Noise(seed: 3)
        var failed = Self.rows(configurations[1], process: 1, noise: &noise, cv: 0.1)
        for i in failed.indices { failed[i].status = .failed }
        var rows = Self.rows(configurations[0], process: 1, noise: &noise, cv: 0.1) + failed
        while case let round = target.nextRound(PrecisionTarget.standings(configurations, rows: rows, rowMaker: Self.rowMaker)),
              !round.isEmpty {
            #expect(round.allSatisfy { $0.configuration == configurations[0] })
            rows += round.flatMap { Self.rows($0.configuration, process: $0.process, noise: &noise, cv: 0.1) }
        }
        let final = PrecisionTarget.standings(configurations, rows: rows, rowMaker: Self.rowMaker)
        #expect(final[0].processes == 4 && final[0].lastProcess == 4)
        #expect(final[1].halfWidth == nil && final[1].processes == 0)
        #expect(target.misses(final).count == 2)
    }

    @Test("--ci-target and --budget values", arguments: [("2%", 0.02), ("0.5%", 0.005), ("0.02", 0.02)])
    func parses(text: String, value: Double) throws {
        #expect(abs(try PrecisionTarget.parseHalfWidth(text) - value) < 1e-12)
    }

    @Test func durations() throws {
        #expect(try PrecisionTarget.parseDuration("90s") == 90)
        #expect(try PrecisionTarget.parseDuration("30m") == 1800)
        #expect(try PrecisionTarget.parseDuration("2h") == 7200)
        #expect(try PrecisionTarget.parseDuration("45") == 45)
        for bad in ["0", "-1m", "soon", "100%"] {
            #expect(throws: RunInputError.self) { try PrecisionTarget.parseDuration(bad) }
        }
        for bad in ["0", "100%", "150%", "two"] {
            #expect(throws: RunInputError.self) { try PrecisionTarget.parseHalfWidth(bad) }
        }
    }

    @Test("a real run with an unreachable target stops at the budget, not at --max-processes, and says what it missed",
          .tags(.integration, .needsLab), .skippedInUnitRuns)
    func realRunRespectsTheBudget() throws {
        let csv = TestPaths.scratch() + "/precise.csv"
        let run = try ftlab(["run", "tiny/sum", "--workloads-dir", TestPaths.fixtures + "/workloads", "--python", PinnedPair.gil,
                             "--threads", "1", "--processes", "2", "--samples", "2", "--warmups", "1", "--target-seconds", "0.02",
                             "--ci-target", "0.0001%", "--budget", "3s", "--max-processes", "1000", "-o", csv, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("precision: 0 of 1 configurations within ±0.0%"), "\(run.stdout)")
        #expect(run.stdout.contains("missed: tiny/sum"), "\(run.stdout)")
        let processes = Set(try ResultReader(path: csv).rows.map(\.process))
        #expect(processes.count > 2, "rounds were added")
        #expect(processes.count < 1000, "the budget, not the cap, ended it")
        let bad = try ftlab(["run", "tiny/sum", "--ci-target", "200%", "-o", TestPaths.scratch() + "/x.csv"])
        #expect(bad.status == 2 && bad.stderr.contains("bad --ci-target \"200%\""), "stderr: \(bad.stderr)")
    }
}
