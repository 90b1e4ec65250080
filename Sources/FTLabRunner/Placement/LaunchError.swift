import FTLabCore
/// `ftlab _launch` could not set the placement or start the program. Exit 2 for bad
/// arguments and placements the kernel refuses, 127 when the program cannot be executed (as a shell does).
public enum LaunchError: FTLabError, Equatable {
    case badArgument(option: String, value: String, expected: String)
    case missingProgram
    case affinityFailed(cpus: [Int], reason: String)
    case memoryPolicyFailed(argument: String, reason: String)
    case programNotFound(program: String, searchPath: String)
    case execFailed(program: String, reason: String)

    public var exitCode: Int32 {
        switch self {
        case .programNotFound, .execFailed: 127
        default: 2
        }
    }

    public var description: String {
        switch self {
        case let .badArgument(option, value, expected):
            "\(option) \"\(value)\": expected \(expected)"
        case .missingProgram:
            "no program to run; usage: ftlab _launch [--cpus LIST] [--mem local|bind:NODES|interleave:NODES] -- PROGRAM [ARGS...]"
        case let .affinityFailed(cpus, reason):
            "cannot pin to CPUs \(CPUList.format(cpus)): \(reason) (are they online and allowed? see ftlab env)"
        case let .memoryPolicyFailed(argument, reason):
            "cannot set memory policy \(argument): \(reason) (does each node exist and have memory? see ftlab env)"
        case let .programNotFound(program, searchPath):
            "cannot run \(program): not found on PATH (\(searchPath))"
        case let .execFailed(program, reason):
            "cannot run \(program): \(reason)"
        }
    }
}
