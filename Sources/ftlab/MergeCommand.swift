import ArgumentParser
import Foundation
import FTLabCore

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge results CSVs from several runs or machines into one file.",
        discussion: """
            Every input is checked against schema v1 (a bad file exits 2 naming the file, line
            and column); unknown trailing columns are dropped. Rows keep their run_id and host,
            so the merged file still tells the runs apart. Rows stream through, checked as they
            are read, so memory stays flat however large the inputs; OUTPUT appears only once
            every input has read cleanly.

            Shards (`ftlab run --shard I/N`) of one run must all be there exactly once: a missing
            or duplicated shard exits 2 naming it, and nothing is written. The merged shards read
            as one run in `report` and `compare`.

            Examples:
              ftlab merge laptop.csv server.csv -o all.csv
              ftlab merge part-0.csv part-1.csv part-2.csv -o run.csv
            """)

    @Argument(help: ArgumentHelp("Results files to merge.", valueName: "RUN.csv"))
    var inputs: [String]

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The merged file (must not exist).", valueName: "ALL.csv"))
    var output: String

    @Flag(help: "Replace OUTPUT if it exists.")
    var force = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("merge needs at least one results file (two or more to join them); got none") }
        if !force, FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) exists; pass --force to replace it")
        }
    }

    func run() throws {
        let warnings = try ResultFile.merge(inputs, into: output)
        for warning in warnings { Diagnostics.warning(warning) }
        print("merged \(inputs.count) files into \(output)")
    }
}
