import ArgumentParser
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show the machine: CPUs, NUMA nodes and memory, distances, SMT siblings, allowed CPUs, allocators.")

    @Flag(help: "Print JSON ({\"topology\": ..., \"allocators\": [...]}) instead of text.")
    var json = false

    @Option(help: "Read a captured tree holding sys/devices/system/{cpu,node} instead of this machine.")
    var sysfsRoot = "/"

    /// What `--json` prints.
    struct Report: Encodable {
        var topology: Topology
        var allocators: [AllocatorStatus]
    }

    func run() async throws {
        let report = Report(topology: try Topology.read(root: sysfsRoot), allocators: await AllocatorRegistry.installed())
        print(json ? try JSONOutput.string(report)
                   : report.topology.summaryText + "\n\n" + AllocatorStatus.summaryText(report.allocators))
    }
}
