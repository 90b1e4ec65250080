import ArgumentParser
import Foundation
import FTLabCore

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
        version: FTLabVersion.current,
        subcommands: [
            RunCommand.self, ProjectCommand.self, ServeCommand.self, ListCommand.self, CompareCommand.self, MergeCommand.self, ReportCommand.self,
            ExplainCommand.self, EnvCommand.self, PlanCommand.self, LabCommand.self, LaunchCommand.self,
            NativeCommand.self, ExportCommand.self, SlurmCommand.self, BundleCommand.self,
        ]
    )

    /// Maps errors to the exit-code contract: usage and input errors exit 2, not 64. A bad
    /// value gets one line naming it and where to read more, not the whole usage banner.
    static func main() async {
        await refuseChangedBundle()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as FTLabError {
            Diagnostics.error(error.description)
            Foundation.exit(error.exitCode)
        } catch {
            Foundation.exit(report(error))
        }
    }

    /// Prints `error` and returns the exit status it means. `--help` and `--version` exit 0;
    /// a command's own `ExitCode` stays (1: a regression or a failed process, 130: interrupted);
    /// ftlab's own errors (`FTLabError`) were caught before. Any other error is bad input,
    /// exit 2, never ArgumentParser's 1 or 64: a parse or validation error as one line with
    /// the `--help` hint, anything else as its description.
    static func report(_ error: Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
        Diagnostics.error(badInputMessage(error))
        if exitCode(for: error) == .validationFailure,
           let hint = fullMessage(for: error).split(separator: "\n").last(where: { $0.contains("--help") }) {
            Diagnostics.note(hint.trimmingCharacters(in: .whitespaces))
        }
        return 2
    }

    /// From an unpacked bundle, every command but `bundle` (which can `--verify` it) first checks
    /// the bundle against its MANIFEST.json (sizes, and the sha256 of the files ftlab reads
    /// itself) and exits 2 naming the first file that does not match.
    static func refuseChangedBundle() async {
        guard let bundle = BundleHome.current, CommandLine.arguments.dropFirst().first != "bundle" else { return }
        do throws(BundleError) {
            let manifest = try BundleManifest.read(at: bundle.manifestPath)
            if let mismatch = await manifest.firstMismatch(under: bundle.root, depth: .startup) { throw mismatch }
        } catch {
            Diagnostics.error(error.description)
            Foundation.exit(error.exitCode)
        }
    }

    /// ArgumentParser's message for a parse or validation error, without its `Error: ` prefix.
    static func badInputMessage(_ error: Error) -> String {
        let text = message(for: error)
        return text.hasPrefix("Error: ") ? String(text.dropFirst(7)) : text
    }
}
