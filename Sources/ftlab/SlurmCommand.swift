import ArgumentParser
import Foundation
import FTLabCore
import FTLabInterpreters
import FTLabRunner

struct SlurmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Write (and with --submit, submit) a Slurm job array that runs one plan in shards, and its merge job.",
        discussion: """
            Writes DIR/shards.sbatch, a job array whose task i runs `ftlab run RUN-OPTIONS --shard i+1/N` \
            into DIR/part-i.csv (resumed, so a resubmission continues it; every shard carries one run id), \
            and DIR/merge.sbatch, which starts after the array (--dependency=afterok, or afterany with \
            --merge-after any), names the shards whose part is missing, merges the parts into \
            DIR/merged.csv (refused, exit 2, when a shard is missing or doubled), writes DIR/report.html \
            and prints the summary into DIR/logs/merge.out. A task whose run recorded a failed process \
            still succeeds: the rows say so. Without --submit the scripts are printed to edit and submit \
            yourself; with it both are submitted and the job ids printed.

            The jobs start this ftlab by its absolute path, in the current directory: both must be \
            reachable from the nodes (a shared file system). Each task takes a whole node (--exclusive).

            One plan across identical nodes, to finish a big suite sooner:
              ftlab slurm --array 8 --partition big --time 2:00:00 -o runs/big --submit -- --threads 1,2,4,8
            The same plan on each node type, one submission per partition, one report across machines:
              ftlab slurm --array 4 --partition epyc -o runs/epyc --submit -- --quick --threads 1,2,4
              ftlab slurm --array 4 --partition arm -o runs/arm --submit -- --quick --threads 1,2,4
              ftlab report runs/epyc/merged.csv runs/arm/merged.csv -o machines.html
            Pass --threads on mixed nodes: the default thread list follows each node's CPU count, and \
            shards of different plans do not merge.

            Exit codes: 0 written (and submitted); 2 bad input, or sbatch missing or refusing a script.
            """)

    @Option(help: "Array tasks, one shard each (at most the plan's configurations).")
    var array: Int = 2

    @Option(help: ArgumentHelp("Slurm partition for both jobs (default: the cluster's default).", valueName: "P"))
    var partition: String?

    @Option(help: ArgumentHelp("Time limit of each job, in sbatch's form, e.g. 30:00 or 2:00:00.", valueName: "T"))
    var time: String?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Folder for the scripts, parts, logs, merged.csv and report.html (default: results/local/slurm-<time>, which a checkout ignores). "
            + "Its run-id file makes a resubmission into it continue the same run.", valueName: "DIR"))
    var output: String?

    @Option(name: .customLong("merge-after"), help: ArgumentHelp(
        "When the merge job starts: ok (every task succeeded; otherwise Slurm cancels it) or any (always: it then "
            + "names the missing shards and fails).", valueName: "ok|any"))
    var mergeAfter: String = "ok"

    @Option(help: ArgumentHelp(
        "An `ftlab bundle` archive the jobs unpack into each node's $TMPDIR and run from (nodes without ftlab, "
            + "Swift or the lab pythons; the archive must be readable from the nodes).", valueName: "FILE"))
    var bundle: String?

    @Flag(help: "Submit both jobs with sbatch and print their ids.")
    var submit = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp(
        "`ftlab run` options after --: selectors, --python, --threads, --quick... (not -o, --shard, --resume, --run-id).",
        valueName: "RUN-OPTIONS"))
    var runOptions: [String] = []

    func validate() throws {
        guard array >= 1 else { throw ValidationError(SlurmError.badTasks(array).description) }
        if let bundle, !(bundle.hasSuffix(".tar.xz") && FileManager.default.isReadableFile(atPath: bundle)) {
            throw ValidationError("bad --bundle \"\(bundle)\"; expected a readable FILE.tar.xz made by `ftlab bundle`")
        }
        guard SlurmJobs.MergeAfter(rawValue: mergeAfter) != nil else {
            throw ValidationError("bad --merge-after \"\(mergeAfter)\"; expected ok or any")
        }
        do { try SlurmJobs.check(directory: directory(), runArguments: runOptions) } catch {
            throw ValidationError(error.description)
        }
        do { _ = try RunCommand.parse(runOptions) } catch {
            throw ValidationError("bad RUN-OPTIONS after --: " + RunCommand.message(for: error))
        }
    }

    /// The jobs' folder, absolute.
    func directory() -> String {
        let path = output ?? RunOutput.defaultPath().replacingOccurrences(of: "/run-", with: "/slurm-")
            .replacingOccurrences(of: ".csv", with: "")
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }

    func run() async throws {
        let directory = directory()
        let runID = SlurmJobs.runID(recordedIn: directory)
        var jobs = SlurmJobs(tasks: array, partition: partition, time: time, directory: directory,
                             workingDirectory: FileManager.default.currentDirectoryPath, ftlab: executablePath(),
                             runArguments: runOptions, runID: runID)
        jobs.mergeAfter = SlurmJobs.MergeAfter(rawValue: mergeAfter) ?? .ok
        jobs.bundle = bundle.map { (InterpreterProbe.absolute($0)) }
        try jobs.write()
        guard submit else {
            print("# \(jobs.arrayScriptPath)\n\(jobs.arrayScript)\n# \(jobs.mergeScriptPath)\n\(jobs.mergeScript)")
            print("# submit: id=$(sbatch --parsable \(jobs.arrayScriptPath)) && "
                  + "sbatch --dependency=after\(jobs.mergeAfter.rawValue):$id \(jobs.mergeScriptPath)")
            return
        }
        let ids = try await jobs.submit()
        print("submitted: job array \(ids.array) (\(array) tasks, run \(runID)); merge job \(ids.merge) "
              + "(after\(jobs.mergeAfter.rawValue):\(ids.array))")
        print("results: \(jobs.mergedPath) and \(jobs.reportPath) when job \(ids.merge) completes; logs in \(directory)/logs")
    }
}
