import Foundation
import Testing
import FTLabCore
import FTLabRunner

/// The sbatch scripts `ftlab slurm` writes, read as text (the real Slurm runs them in
/// SlurmIntegrationTests).
@Suite("ftlab slurm's job scripts")
struct SlurmJobsTests {
    func jobs() -> SlurmJobs {
        var jobs = SlurmJobs(tasks: 3, partition: "epyc", time: "1:00:00", directory: "/shared/runs/a",
                             workingDirectory: "/shared/work", ftlab: "/opt/ftlab/ftlab",
                             runArguments: ["log-processing", "--env", "NAME=it's here", "--threads", "1,2"], runID: "slurm-x")
        jobs.mergeAfter = .any
        return jobs
    }

    @Test("the array: one task per shard, its part file resumed, one run id, options quoted for bash")
    func arrayScript() {
        let script = jobs().arrayScript
        let directives = script.split(separator: "\n").filter { $0.hasPrefix("#SBATCH") }
        #expect(directives == ["#SBATCH --job-name=ftlab-shards", "#SBATCH --output=/shared/runs/a/logs/part-%a.out",
                               "#SBATCH --chdir=/shared/work", "#SBATCH --partition=epyc", "#SBATCH --time=1:00:00",
                               "#SBATCH --array=0-2", "#SBATCH --exclusive"])
        #expect(script.hasPrefix("#!/bin/bash\n"))
        #expect(script.contains("shard=\"$((task + 1))/3\""))
        #expect(script.contains("ftlab=/opt/ftlab/ftlab\n"))
        #expect(script.contains("\"$ftlab\" run log-processing --env 'NAME=it'\\''s here' --threads 1,2 \\\n"
                                + "    --shard \"$shard\" --run-id slurm-x --resume --quiet -o /shared/runs/a/part-\"$task\".csv"))
        #expect(script.contains("if [ \"$status\" -eq 1 ]; then exit 0; fi"))
    }

    @Test("the merge job: every part listed, missing shards named, merge, report and summary")
    func mergeScript() {
        let script = jobs().mergeScript
        #expect(script.contains("#SBATCH --kill-on-invalid-dep=yes") && script.contains("#SBATCH --partition=epyc"))
        #expect(script.contains("for task in $(seq 0 2); do"))
        #expect(script.contains("missing+=(\"$((task + 1))/3\")"))
        #expect(script.contains("\"$ftlab\" merge --force \"${parts[@]}\" -o /shared/runs/a/merged.csv || exit $?"))
        #expect(script.contains("\"$ftlab\" report /shared/runs/a/merged.csv -o /shared/runs/a/report.html || exit $?"))
        #expect(script.hasSuffix("[ \"${#missing[@]}\" -eq 0 ]\n"))
    }

    @Test("write() records the run id beside the scripts; writing the jobs again into the folder keeps it")
    func runIDKept() throws {
        let directory = TestPaths.scratch() + "/jobs"
        let first = SlurmJobs.runID(recordedIn: directory)
        #expect(first.hasPrefix("slurm-"))
        var jobs = jobs()
        jobs.directory = directory
        jobs.runID = first
        try jobs.write()
        #expect(try String(contentsOfFile: jobs.runIDPath, encoding: .utf8) == first + "\n")
        #expect(FileManager.default.isExecutableFile(atPath: jobs.arrayScriptPath))
        #expect(SlurmJobs.runID(recordedIn: directory) == first)
        #expect(SlurmJobs.runID(recordedIn: TestPaths.scratch() + "/other") != first, "a new folder, a new run")
    }

    @Test("--bundle: each job unpacks the archive into its node's TMPDIR, runs its ftlab and removes it")
    func bundleJobs() {
        var jobs = jobs()
        jobs.bundle = "/shared/ftlab bundle.tar.xz"
        for script in [jobs.arrayScript, jobs.mergeScript] {
            #expect(script.contains("tar -xJf '/shared/ftlab bundle.tar.xz' -C \"$work\""))
            #expect(script.contains("trap 'rm -rf \"$work\"' EXIT"))
            #expect(script.contains("ftlab=$(echo \"$work\"/ftlab-bundle-*/ftlab)"))
            #expect(!script.contains("/opt/ftlab/ftlab"), "the bundle's ftlab, not the submitting host's")
        }
        #expect(jobs.arrayScript.contains("work=\"${TMPDIR:-/tmp}/ftlab-task-${SLURM_JOB_ID:-$$}\""))
    }

    @Test("options the array sets itself and folders sbatch cannot hold are refused, naming them",
          arguments: ["-o", "--output", "--output=x.csv", "--shard", "--resume", "--run-id"])
    func reservedOptions(_ option: String) {
        let name = String(option.split(separator: "=")[0])
        #expect(throws: SlurmError.reservedOption(name)) {
            try SlurmJobs.check(directory: "/runs", runArguments: ["tiny", option, "1/2"])
        }
    }

    @Test func badFolders() throws {
        #expect(throws: SlurmError.badDirectory("/my runs")) { try SlurmJobs.check(directory: "/my runs", runArguments: []) }
        #expect(throws: SlurmError.badDirectory("/runs%1")) { try SlurmJobs.check(directory: "/runs%1", runArguments: []) }
        try SlurmJobs.check(directory: "/runs/a-1", runArguments: ["--quick"])
    }
}
