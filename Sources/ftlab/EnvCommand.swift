import ArgumentParser
import FTLabCore
import FTLabInterpreters
import FTLabRunner

struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env",
        abstract: "Show the machine: CPUs, NUMA nodes and memory, distances, SMT siblings, allowed CPUs, allocators, CPython interpreters.",
        discussion: """
            Interpreters are looked for in the lab cache, on PATH, in /usr/bin and /usr/local/bin,
            uv's managed Pythons and pyenv's versions; each is asked its version and build (never
            guessed from its name), and builds of one release are paired: `--python 3.14` then
            takes the lab pair of 3.14, else a pair found here.

            --format json prints one `ftlab.env/1` object: `topology`, `allocators`,
            `interpreters` and `pairs`.
            """)

    @OptionGroup var format: FormatOptions<Self>

    @Option(help: "Read a captured tree holding sys/devices/system/{cpu,node} instead of this machine.")
    var sysfsRoot = "/"

    /// What `--format json` prints.
    struct Report: Encodable {
        var topology: Topology
        var allocators: [AllocatorStatus]
        var interpreters: [FoundInterpreter]
        var pairs: [FoundPair]
    }

    func run() async throws {
        let found = await InterpreterDiscovery().find()
        let report = Report(topology: try Topology.read(root: sysfsRoot), allocators: await AllocatorRegistry.installed(),
                            interpreters: found, pairs: InterpreterDiscovery.pairs(found))
        switch format.value {
        case .json: print(try JSONOutput.document("env", report))
        default:
            print(report.topology.summaryText + "\n\n" + AllocatorStatus.summaryText(report.allocators)
                + "\n\n" + InterpreterDiscovery.summaryText(found))
        }
    }
}

extension EnvCommand: FormatChoices {
    static let command = "ftlab env"
    static let accepted: [OutputFormat] = [.text, .json]
    static let defaultFormat = OutputFormat.text
}
