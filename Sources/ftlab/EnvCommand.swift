import ArgumentParser
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show the machine: CPUs, NUMA nodes and memory, distances, SMT siblings, allowed CPUs, allocators.",
        discussion: "--format json prints one `ftlab.env/1` object: `topology` and `allocators`.")

    @OptionGroup var format: FormatOptions<Self>

    @Option(help: "Read a captured tree holding sys/devices/system/{cpu,node} instead of this machine.")
    var sysfsRoot = "/"

    /// What `--format json` prints.
    struct Report: Encodable {
        var topology: Topology
        var allocators: [AllocatorStatus]
    }

    func run() async throws {
        let report = Report(topology: try Topology.read(root: sysfsRoot), allocators: await AllocatorRegistry.installed())
        switch format.value {
        case .json: print(try JSONOutput.document("env", report))
        default: print(report.topology.summaryText + "\n\n" + AllocatorStatus.summaryText(report.allocators))
        }
    }
}

extension EnvCommand: FormatChoices {
    static let command = "ftlab env"
    static let accepted: [OutputFormat] = [.text, .json]
    static let defaultFormat = OutputFormat.text
}
