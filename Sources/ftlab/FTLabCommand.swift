import ArgumentParser
import Foundation
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

@main
struct FTLabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ftlab",
        abstract: "Measure how Python workloads scale on free-threaded CPython against the GIL build.",
        discussion: """
            Typical session:
              ftlab lab pythons       build the pinned GIL + free-threaded pair
              ftlab run --quick       measure every workload, print the scaling table
              ftlab report run.csv -o report.html
                                      scaling charts in one self-contained page
              ftlab compare a.csv b.csv
                                      fail a CI job on a real regression

            Exit codes: 0 success; 1 a measurement failed, or compare found a
            regression; 2 bad input; 130 interrupted.
            """,
        subcommands: [
            RunCommand.self, ServeCommand.self, ListCommand.self, CompareCommand.self, MergeCommand.self, ReportCommand.self,
            ExplainCommand.self, EnvCommand.self, PlanCommand.self, LabCommand.self, LaunchCommand.self,
            NativeCommand.self, LoadGenBenchCommand.self,
        ]
    )

    /// Maps errors to the exit-code contract: usage and input errors exit 2, not 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as FTLabError {
            FileHandle.standardError.write(Data("ftlab: error: \(error.description)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
