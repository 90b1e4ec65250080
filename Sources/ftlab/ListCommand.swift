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

    @Option(name: .customLong("workloads-dir"), help: ArgumentHelp("A folder with your own workloads. Repeatable.", valueName: "DIR"))
    var workloadsDirs: [String] = []

    @Flag(help: "Machine-readable output.")
    var json = false

    func run() throws {
        let catalog = try WorkloadCatalog.load(extra: workloadsDirs)
        if json {
            for broken in catalog.broken { warn("skipped \(broken.name): \(broken.problem)") }
        }
        print(json ? try catalog.json() : catalog.text())
    }

    func warn(_ text: String) {
        FileHandle.standardError.write(Data("ftlab: warning: \(text)\n".utf8))
    }
}
