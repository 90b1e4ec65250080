import Foundation
import Testing
import FTLabCore

/// `ftlab slurm --submit` on a real one-node Slurm (Debian's slurm-wlm 22.05 and munge, started
/// by lab/slurm-up.sh and stopped at the end): the job array and its merge job give the
/// configurations of the same run done locally, and a failed task is named by the merge job.
@Suite("ftlab slurm on a real Slurm", .serialized, .tags(.integration, .needsLab, .slurm), .skippedInUnitRuns)
final class SlurmIntegrationTests {
    static let runOptions = ["tiny/sum", "--workloads-dir", TestPaths.fixtures + "/workloads", "--python", PinnedPair.gil,
                             "--python", PinnedPair.freeThreaded, "--threads", "1", "--quick"]
    let slurmDirectory = TestPaths.scratch("slurm")
    var environment: [String: String] = [:]

    init() throws {
        let up = try runProgram("/bin/bash", [TestPaths.repository + "/lab/slurm-up.sh"],
                                environment: ["FTLAB_SLURM_DIR": slurmDirectory])
        try #require(up.status == 0, "Slurm did not start:\n\(up.stderr)")
        let conf = up.stdout.split(separator: "\n").last.map { String($0.dropFirst("export SLURM_CONF=".count)) } ?? ""
        try #require(FileManager.default.fileExists(atPath: conf), "no slurm.conf from slurm-up.sh: \(up.stdout)")
        environment = ["SLURM_CONF": conf]
    }

    deinit {
        _ = try? runProgram("/bin/bash", [TestPaths.repository + "/lab/slurm-down.sh"], environment: ["FTLAB_SLURM_DIR": slurmDirectory])
    }

    /// `(array, merge)` job ids from `ftlab slurm --submit`'s first line.
    func submit(_ arguments: [String], into dir: String) throws -> (array: String, merge: String) {
        let submitted = try ftlab(["slurm", "--array", "2", "--submit", "-o", dir] + arguments + ["--"] + Self.runOptions,
                                  environment: environment)
        try #require(submitted.status == 0, "stderr: \(submitted.stderr)")
        let ids = submitted.stdout.split(whereSeparator: { !$0.isNumber }).map(String.init)
        try #require(ids.count >= 3, "stdout: \(submitted.stdout)")
        let merge = try #require(submitted.stdout.firstMatch(of: #/merge job (\d+)/#)).1
        return (ids[0], String(merge))
    }

    /// The job's final state (COMPLETED, FAILED, CANCELLED...), waiting at most `seconds`.
    func finalState(of job: String, seconds: Double = 300) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let shown = try runProgram("/usr/bin/scontrol", ["show", "job", "-o", job], environment: environment)
            let state = shown.stdout.firstMatch(of: #/JobState=(\w+)/#).map { String($0.1) } ?? ""
            if ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY"].contains(state) { return state }
            Thread.sleep(forTimeInterval: 1)
        }
        let queue = (try? runProgram("/usr/bin/squeue", [], environment: environment).stdout) ?? ""
        Issue.record("job \(job) did not finish within \(Int(seconds)) s; squeue:\n\(queue)")
        return "unfinished"
    }

    @Test("a 2-task array and its merge job give the configurations of the same run done locally, and the report")
    func arrayMatchesLocalRun() throws {
        let dir = TestPaths.scratch()
        let jobs = try submit([], into: dir + "/jobs")
        #expect(try finalState(of: jobs.merge) == "COMPLETED", "merge log: \(log(dir + "/jobs/logs/merge.out"))")
        let local = try ftlab(["run"] + Self.runOptions + ["--quiet", "-o", dir + "/local.csv"])
        #expect(local.status == 0, "stderr: \(local.stderr)")
        let merged = try ResultReader(path: dir + "/jobs/merged.csv").rows
        let whole = try ResultReader(path: dir + "/local.csv").rows
        #expect(Set(merged.map { $0.configurationKey() }) == Set(whole.map { $0.configurationKey() }))
        #expect(merged.count == whole.count && merged.allSatisfy { $0.status == .ok })
        #expect(Set(merged.map(\.shard)) == ["1/2", "2/2"] && Set(merged.map(\.runID)).count == 1)
        let report = try String(contentsOfFile: dir + "/jobs/report.html", encoding: .utf8)
        #expect(report.contains("<svg") && report.contains(PinnedPair.freeThreaded))
        let summary = log(dir + "/jobs/logs/merge.out")
        #expect(summary.contains("### tiny / sum") && summary.contains("| \(PinnedPair.freeThreaded) |"), "merge log: \(summary)")
    }

    @Test("a failed task: the merge job (--merge-after any) names the missing shard and fails")
    func failedTaskIsNamed() throws {
        let dir = TestPaths.scratch()
        // Task 1 finds a file of another (unsharded) run where its part goes: --resume refuses it, exit 2.
        let foreign = try ftlab(["run"] + Self.runOptions + ["--python", PinnedPair.gil, "--quiet", "--processes", "1",
                                                            "-o", dir + "/jobs/part-1.csv"])
        #expect(foreign.status == 0, "stderr: \(foreign.stderr)")
        let jobs = try submit(["--merge-after", "any"], into: dir + "/jobs")
        #expect(try finalState(of: jobs.merge) == "FAILED")
        #expect(log(dir + "/jobs/logs/part-1.out").contains("holds an unsharded run"))
        #expect(log(dir + "/jobs/logs/merge.out").contains("missing shard 2/2"), "merge log: \(log(dir + "/jobs/logs/merge.out"))")
        #expect(!FileManager.default.fileExists(atPath: dir + "/jobs/merged.csv"))
    }

    func log(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(no \(path))" }
}

/// `ftlab slurm` without --submit and its bad input (no Slurm needed).
@Suite("ftlab slurm writes and refuses", .tags(.integration), .skippedInUnitRuns)
struct SlurmCommandTests {
    @Test("without --submit the scripts are written and printed; bad input exits 2 naming it")
    func writesAndRefuses() throws {
        let dir = TestPaths.scratch()
        let written = try ftlab("slurm", "--array", "3", "-o", dir + "/jobs", "--", "tiny/sum", "--quick")
        #expect(written.status == 0, "stderr: \(written.stderr)")
        #expect(written.stdout.contains("#SBATCH --array=0-2") && written.stdout.contains("sbatch --dependency=afterok:$id"))
        let script = try String(contentsOfFile: dir + "/jobs/shards.sbatch", encoding: .utf8)
        #expect(script.contains(" run tiny/sum --quick"))
        let runID = try String(contentsOfFile: dir + "/jobs/run-id", encoding: .utf8)
        let again = try ftlab("slurm", "--array", "3", "-o", dir + "/jobs", "--", "tiny/sum", "--quick")
        #expect(again.status == 0 && again.stdout.contains("--run-id " + runID.trimmingCharacters(in: .newlines)),
                "a resubmission into the same folder keeps its run id")

        let cases: [([String], String)] = [
            (["--array", "0"], "bad --array 0"),
            (["--merge-after", "later"], "bad --merge-after \"later\"; expected ok or any"),
            (["--", "-o", "x.csv"], "-o is set by the job array itself"),
            (["--", "--threads", "x"], "bad RUN-OPTIONS after --: bad --threads \"x\""),
            (["-o", dir + "/a b"], "sbatch scripts cannot hold a folder with spaces"),
        ]
        for (arguments, message) in cases {
            let refused = try ftlab(["slurm"] + arguments)
            #expect(refused.status == 2 && refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
    }
}
