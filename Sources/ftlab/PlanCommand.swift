import ArgumentParser
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the CPU each thread gets and the memory nodes under a placement policy.")

    @Option(help: "Number of worker threads.")
    var threads: Int

    @Option(help: "\(PlacementPolicy.acceptedForms).")
    var placement: String

    @Option(help: "Read a captured tree holding sys/devices/system/{cpu,node} instead of this machine.")
    var sysfsRoot = "/"

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() throws {
        let topology = try Topology.read(root: sysfsRoot)
        let policy = try PlacementPolicy(parsing: placement)
        let plan = try Planner.plan(threads: threads, policy: policy, topology: topology)
        print(json ? try JSONOutput.string(plan) : plan.summaryText(topology: topology))
    }
}
