import ArgumentParser
import Foundation
import FTLabAnalysis
import FTLabCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write results in another tool's format: pyperf JSON, one file per interpreter.",
        discussion: """
            A configuration is a pyperf benchmark (named by workload/variant, threads and the \
            columns that vary), a process is a run, a measured sample is a value in seconds per op. \
            The CSV keeps no warmup samples, so runs have none; failed rows are left out.

            Examples:
              ftlab export results/full.csv -o pyperf/
              python3 -m pyperf stats pyperf/cpython-3.13.5t.json
              python3 -m pyperf compare_to pyperf/cpython-3.13.5.json pyperf/cpython-3.13.5t.json

            Exit codes: 0 written; 2 bad input.
            """)

    @Argument(help: ArgumentHelp("Results files written by `ftlab run`.", valueName: "RUN.csv"))
    var files: [String]

    @Option(help: "Output format.")
    var format: ExportFormat = .pyperf

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The folder to write into (created when missing).", valueName: "DIR"))
    var output: String

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("export needs at least one results file") }
    }

    func run() throws {
        let input = try ReportInput(paths: files)
        input.warnings.forEach(Diagnostics.warning)
        let exported = try PyperfExport.files(input.rows)
        guard !exported.isEmpty else { throw ValidationError("\(files.joined(separator: ", ")) holds no ok rows to export") }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            for file in exported {
                let path = (output as NSString).appendingPathComponent(file.name)
                try Data((file.json + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                print("\(path): \(file.benchmarks) benchmark\(file.benchmarks == 1 ? "" : "s")")
            }
        } catch {
            throw ValidationError("cannot write into \(output): \(error.localizedDescription)")
        }
    }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case pyperf
}
