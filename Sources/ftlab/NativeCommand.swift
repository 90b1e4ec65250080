import ArgumentParser
import Foundation
import FTLabInterpreters
import FTLabNative

/// `ftlab _native`: what `ftlab run --python native-swift` starts instead of an interpreter.
/// Takes run.py's arguments and speaks the same harness protocol on stdout.
struct NativeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_native",
        abstract: "Run a workload's native Swift implementation under the harness protocol (used by ftlab run).",
        shouldDisplay: false)

    @Option(name: .customLong("workload-dir"), help: "The workload's folder (workload.toml, workload.py).")
    var workloadDirectory: String

    @Option(help: "The variant to run.")
    var variant: String

    @Option(help: "Worker threads.")
    var threads: Int

    @Option(help: "Measured samples.")
    var samples: Int

    @Option(help: "Warmup samples (a minimum when calibrating).")
    var warmups: Int

    @Option(help: "Work units per thread per sample (disables calibration).")
    var batch: Int?

    @Option(name: .customLong("target-seconds"), help: "How long one calibrated sample should last.")
    var targetSeconds: Double = 0.25

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter override. Repeatable.", valueName: "KEY=VALUE"))
    var params: [String] = []

    @Option(help: "One CPU id per worker thread, comma-separated (default: no pinning).")
    var cpus: String = ""

    @Option(help: "Seed of the workload's input.")
    var seed: Int = 0

    func run() async throws {
        throw ExitCode(await NativeHarness.run(NativeArguments(
            workloadDirectory: workloadDirectory, variant: variant, threads: threads, samples: samples, warmups: warmups,
            batch: batch, targetSeconds: targetSeconds, params: params, cpus: cpus, seed: seed,
            inputPython: LabPythons.pinnedGILExecutable)))
    }
}
