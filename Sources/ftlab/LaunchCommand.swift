import ArgumentParser
import FTLabRunner

/// `ftlab _launch`: what `ftlab run` spawns in front of each interpreter, so the CPU set and
/// memory policy are in place before the interpreter starts (no numactl or taskset needed).
struct LaunchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_launch",
        abstract: "Apply a CPU set and memory policy, then exec PROGRAM (used by ftlab run).",
        shouldDisplay: false)

    @Option(help: "CPUs the program may run on, e.g. 0-3,8 (default: as inherited).")
    var cpus: String?

    @Option(help: "Memory policy: local, bind:NODES or interleave:NODES (default: as inherited).")
    var mem: String?

    @Option(name: .customLong("memory-limit"), help: "Address space the program may use, in bytes (RLIMIT_AS).")
    var memoryLimit: UInt64?

    @Argument(parsing: .postTerminator, help: "-- PROGRAM [ARGS...]")
    var command: [String] = []

    func run() throws {
        let cpuList = try cpus.map(ProcessPlacement.parseCPUs)
        let memory = try mem.map(ProcessPlacement.parseMemory)
        guard let program = command.first else { throw LaunchError.missingProgram }
        try ProcessPlacement.apply(cpus: cpuList, memoryPolicy: memory?.policy, nodes: memory?.nodes ?? [])
        if let memoryLimit { try ProcessPlacement.limitAddressSpace(to: memoryLimit) }
        try ProcessPlacement.exec(program: program, arguments: Array(command.dropFirst()))
    }
}
