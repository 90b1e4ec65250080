import ArgumentParser
import Foundation
import FTLabCore

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List workloads, their variants, parameters and units.",
        discussion: """
            Each variant names the question it answers. Pass --workloads-dir to include your own.
            --format json prints one `ftlab.list/1` object: `workloads` and `broken`.
            """)

    @OptionGroup var workloads: WorkloadsDirOptions

    @OptionGroup var format: FormatOptions<Self>

    func run() throws {
        let catalog = try workloads.catalog()
        switch format.value {
        case .json:
            for broken in catalog.broken { Diagnostics.warning("skipped \(broken.name): \(broken.problem)") }
            print(try catalog.json())
        default:
            print(catalog.text())
        }
    }
}

extension ListCommand: FormatChoices {
    static let command = "ftlab list"
    static let accepted: [OutputFormat] = [.text, .json]
    static let defaultFormat = OutputFormat.text
}
