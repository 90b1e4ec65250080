import ArgumentParser
import FTLabCore
import FTLabRunner

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the CPU each thread gets and the memory nodes under a placement policy.",
        discussion: "--format json prints one `ftlab.plan/1` object: the plan's fields beside `schema`.")

    @Option(help: "Number of worker threads.")
    var threads: Int

    @Option(help: "\(PlacementPolicy.acceptedForms).")
    var placement: String

    @Option(help: "Read a captured tree holding sys/devices/system/{cpu,node} instead of this machine.")
    var sysfsRoot = "/"

    @OptionGroup var format: FormatOptions<Self>

    func run() throws {
        let topology = try Topology.read(root: sysfsRoot)
        let policy = try PlacementPolicy(parsing: placement)
        let plan = try Planner.plan(threads: threads, policy: policy, topology: topology)
        switch format.value {
        case .json: print(try JSONOutput.document("plan", plan))
        default: print(plan.summaryText(topology: topology))
        }
    }
}

extension PlanCommand: FormatChoices {
    static let command = "ftlab plan"
    static let accepted: [OutputFormat] = [.text, .json]
    static let defaultFormat = OutputFormat.text
}
