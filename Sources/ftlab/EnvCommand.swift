import ArgumentParser
import FTLab

struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show the machine: CPUs, NUMA nodes and memory, distances, SMT siblings, allowed CPUs.")

    @Flag(help: "Print JSON ({\"topology\": ...}) instead of text.")
    var json = false

    @Option(help: "Read a captured tree holding sys/devices/system/{cpu,node} instead of this machine.")
    var sysfsRoot = "/"

    func run() throws {
        let topology = try Topology.read(root: sysfsRoot)
        print(json ? try JSONOutput.string(["topology": topology]) : topology.summaryText)
    }
}
