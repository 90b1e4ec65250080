import ArgumentParser
import Foundation
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List workloads, their variants, parameters and units.",
        discussion: "Each variant names the question it answers. Pass --workloads-dir to include your own.")

    @OptionGroup var workloads: WorkloadsDirOptions

    @Flag(help: "Machine-readable output.")
    var json = false

    func run() throws {
        let catalog = try workloads.catalog()
        if json {
            for broken in catalog.broken { Diagnostics.warning("skipped \(broken.name): \(broken.problem)") }
        }
        print(json ? try catalog.json() : catalog.text())
    }
}
