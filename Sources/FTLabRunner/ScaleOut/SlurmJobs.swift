import Foundation
import FTLabCore

/// The two sbatch scripts `ftlab slurm` writes: a job array whose task i runs shard i+1/N of
/// one plan into `DIR/part-i.csv`, and a merge job, submitted after it, that checks every
/// shard is there, merges them into `DIR/merged.csv` and renders `DIR/report.html`.
public struct SlurmJobs: Sendable {
    /// When the merge job may start: after every task succeeded (`ok`), or after they all ended.
    public enum MergeAfter: String, Sendable, CaseIterable {
        case ok, any
    }

    /// Array tasks: one shard each.
    public var tasks: Int
    public var partition: String?
    public var time: String?
    /// Absolute folder for the parts, the logs, the merged file and the report.
    public var directory: String
    /// The jobs' working directory (relative paths in the run options are read from there).
    public var workingDirectory: String
    /// The ftlab the jobs start (absolute; it must be reachable from the nodes).
    public var ftlab: String
    /// `--bundle`: an `ftlab bundle` archive (absolute) each job unpacks into its node's
    /// `$TMPDIR` and runs from, for nodes without ftlab, Swift or the lab pythons; nil: `ftlab`.
    public var bundle: String?
    /// `ftlab run` options (selectors, --python, --threads...), without -o, --shard, --resume, --run-id.
    public var runArguments: [String]
    /// The run id every shard's rows carry, so the merged file is one run.
    public var runID: String
    /// One node to a task, no other job beside it (a shared node measures its neighbours).
    public var exclusive = true
    public var mergeAfter: MergeAfter = .ok

    public init(tasks: Int, partition: String? = nil, time: String? = nil, directory: String, workingDirectory: String,
                ftlab: String, runArguments: [String], runID: String) {
        self.tasks = tasks
        self.partition = partition
        self.time = time
        self.directory = directory
        self.workingDirectory = workingDirectory
        self.ftlab = ftlab
        self.runArguments = runArguments
        self.runID = runID
    }

    public var arrayScriptPath: String { directory + "/shards.sbatch" }
    public var mergeScriptPath: String { directory + "/merge.sbatch" }
    public var mergedPath: String { directory + "/merged.csv" }
    public var reportPath: String { directory + "/report.html" }
    /// The run id the scripts were written with; a later `ftlab slurm` into the folder reuses it.
    public var runIDPath: String { Self.runIDPath(in: directory) }
    private static func runIDPath(in directory: String) -> String { directory + "/run-id" }

    /// The run id recorded in `directory` by an earlier `write()`, else a new `slurm-...` id:
    /// writing the jobs again (to add tasks, or after a failure) keeps the run one run.
    public static func runID(recordedIn directory: String) -> String {
        let recorded = (try? String(contentsOfFile: runIDPath(in: directory), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return recorded.flatMap { $0.isEmpty ? nil : $0 } ?? "slurm-" + RunIdentity.newRunID().id
    }

    /// The `ftlab run` options a job array sets itself.
    public static let reservedRunOptions = ["-o", "--output", "--shard", "--resume", "--run-id"]

    /// Checks what the scripts cannot hold: a folder with whitespace or `%` (sbatch's `#SBATCH`
    /// lines and file patterns), run options the array sets itself.
    public static func check(directory: String, runArguments: [String]) throws(SlurmError) {
        if directory.contains(where: { $0.isWhitespace || $0 == "%" }) { throw .badDirectory(directory) }
        for argument in runArguments {
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if reservedRunOptions.contains(name) { throw .reservedOption(name) }
        }
    }

    /// The lines that make `$ftlab` the command the job runs: the bundle unpacked into a
    /// folder of its own on the node (removed when the job ends), or `ftlab` itself.
    private func launcher(_ job: String) -> [String] {
        guard let bundle else { return ["ftlab=\(Self.quoted(ftlab))"] }
        return [
            "work=\"${TMPDIR:-/tmp}/ftlab-\(job)-${SLURM_JOB_ID:-$$}\"",
            "mkdir -p \"$work\" && tar -xJf \(Self.quoted(bundle)) -C \"$work\" || { echo \"ftlab: cannot unpack \(bundle)\" >&2; exit 2; }",
            "trap 'rm -rf \"$work\"' EXIT",
            "ftlab=$(echo \"$work\"/ftlab-bundle-*/ftlab)",
        ]
    }

    private func header(name: String, output: String) -> [String] {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --output=\(output)",
                     "#SBATCH --chdir=\(workingDirectory)"]
        if let partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time { lines.append("#SBATCH --time=\(time)") }
        return lines
    }

    /// The job array: task i runs shard i+1/N, resuming its file, so a resubmission continues it.
    public var arrayScript: String {
        var lines = header(name: "ftlab-shards", output: "\(directory)/logs/part-%a.out")
        lines.insert("# Written by `ftlab slurm`: task i runs shard i+1/\(tasks) of one plan into part-i.csv. Edit freely.", at: 1)
        lines.append("#SBATCH --array=0-\(tasks - 1)")
        if exclusive { lines.append("#SBATCH --exclusive") }
        let run = "\"$ftlab\" " + (["run"] + runArguments).map(Self.quoted).joined(separator: " ")
        lines += ["set -u"] + launcher("task") + [
            "task=\"${SLURM_ARRAY_TASK_ID:?not started as a task of a job array}\"",
            "shard=\"$((task + 1))/\(tasks)\"",
            "echo \"ftlab: shard $shard on $(hostname), job ${SLURM_ARRAY_JOB_ID:-?}_$task\"",
            "\(run) \\",
            "    --shard \"$shard\" --run-id \(Self.quoted(runID)) --resume --quiet -o \(Self.quoted(directory))/part-\"$task\".csv",
            "status=$?",
            "# 1: some processes failed or timed out; their rows say so and the report shows them.",
            "if [ \"$status\" -eq 1 ]; then exit 0; fi",
            "exit \"$status\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The merge job: names the shards whose part is missing, merges the rest (ftlab merge
    /// refuses an incomplete plan, exit 2), writes the report and prints the summary.
    public var mergeScript: String {
        var lines = header(name: "ftlab-merge", output: "\(directory)/logs/merge.out")
        lines.insert("# Written by `ftlab slurm`: merges the \(tasks) parts and renders the report. Edit freely.", at: 1)
        lines.append("#SBATCH --kill-on-invalid-dep=yes")
        let dir = Self.quoted(directory), ftlab = "\"$ftlab\""
        lines += ["set -u"] + launcher("merge") + [
            "parts=()",
            "missing=()",
            "for task in $(seq 0 \(tasks - 1)); do",
            "    if [ -s \(dir)/part-\"$task\".csv ]; then parts+=(\(dir)/part-\"$task\".csv); else missing+=(\"$((task + 1))/\(tasks)\"); fi",
            "done",
            "if [ \"${#missing[@]}\" -gt 0 ]; then",
            "    echo \"ftlab: no results from shard(s) ${missing[*]}; see \(directory)/logs/part-*.out\" >&2",
            "fi",
            "if [ \"${#parts[@]}\" -eq 0 ]; then exit 1; fi",
            "\(ftlab) merge --force \"${parts[@]}\" -o \(dir)/merged.csv || exit $?",
            "\(ftlab) report \(dir)/merged.csv -o \(dir)/report.html || exit $?",
            "\(ftlab) report \(dir)/merged.csv --format markdown",
            "[ \"${#missing[@]}\" -eq 0 ]",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes both scripts into `directory` (with its `logs/` folder), then the run id.
    public func write() throws(SlurmError) {
        do {
            try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: true)
            for (path, text) in [(arrayScriptPath, arrayScript), (mergeScriptPath, mergeScript)] {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
            try Data((runID + "\n").utf8).write(to: URL(fileURLWithPath: runIDPath))
        } catch {
            throw .cannotWrite(path: directory, reason: error.localizedDescription)
        }
    }

    /// Submits the array, then the merge job depending on it; returns both job ids.
    public func submit(sbatch: String = "sbatch") async throws(SlurmError) -> (array: String, merge: String) {
        let array = try await Self.sbatch(sbatch, ["--parsable", arrayScriptPath])
        let merge = try await Self.sbatch(sbatch, ["--parsable", "--dependency=after\(mergeAfter.rawValue):\(array)", mergeScriptPath])
        return (array, merge)
    }

    private static func sbatch(_ sbatch: String, _ arguments: [String]) async throws(SlurmError) -> String {
        guard let outcome = await HostCommand(sbatch, arguments).run() else { throw .noSbatch(sbatch) }
        guard outcome.succeeded else {
            throw .refused(command: ([sbatch] + arguments).joined(separator: " "),
                           message: outcome.standardError.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // --parsable prints "jobid" or "jobid;cluster".
        let id = outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw .refused(command: ([sbatch] + arguments).joined(separator: " "), message: "printed no job id: \(outcome.standardOutput)")
        }
        return id
    }

    /// `text` for a bash command line: as it is when it holds only safe characters, else in single quotes.
    package static func quoted(_ text: String) -> String {
        let safe = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-=,:+@%".contains($0)) }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What `ftlab slurm` cannot do, with what would work.
public enum SlurmError: FTLabError, Equatable {
    case badDirectory(String)
    case reservedOption(String)
    case badTasks(Int)
    case noSbatch(String)
    case refused(command: String, message: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .badDirectory(let path):
            "bad -o \"\(path)\": sbatch scripts cannot hold a folder with spaces or %; choose another folder"
        case .reservedOption(let name):
            "\(name) is set by the job array itself (each task writes DIR/part-i.csv of its shard, resumed, one run id); "
                + "leave it out of the run options after --"
        case .badTasks(let n): "bad --array \(n); expected a positive number of array tasks (shards), e.g. 4"
        case .noSbatch(let name):
            "\(name) is not on PATH: install Slurm's client (Debian: slurm-client) here, or run without --submit and "
                + "submit the scripts where sbatch is"
        case let .refused(command, message): "\(command) failed: \(message)"
        case let .cannotWrite(path, reason): "cannot write the job scripts in \(path): \(reason)"
        }
    }
}
