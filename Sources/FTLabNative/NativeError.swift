import FTLabCore
/// Problems of native-swift runs: planning them (`ftlab run --python native-swift`) and
/// running one (`ftlab _native`).
public enum NativeError: FTLabError, Equatable {
    /// A bad `ftlab _native` argument: sent as `UsageError: ...`, exit 2 (like run.py).
    case usage(String)
    /// A workload parameter value the implementation cannot use (run.py: a ValueError).
    case badParameter(String)
    /// The run asked for native-swift, but none of its selections can run natively.
    case nothingToRun(reasons: [String])
    /// A file operation failed.
    case io(String)
    /// The Python generator that writes log-processing's input failed.
    case generator(String)
    /// Pinning a worker thread failed.
    case pinning(String)
    /// Calibration grew the batch past the limit: the work does not grow with the batch.
    case calibration(String)

    public var description: String {
        switch self {
        case .usage(let text), .badParameter(let text), .io(let text), .generator(let text),
             .pinning(let text), .calibration(let text):
            text
        case .nothingToRun(let reasons):
            "nothing to run on \(NativeImplementations.label): \(reasons.joined(separator: "; "))"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .usage, .nothingToRun: 2
        default: 1
        }
    }

    /// The Python-style exception name the protocol's `error` message starts with.
    package var kind: String {
        switch self {
        case .usage: "UsageError"
        case .badParameter: "ValueError"
        case .io: "OSError"
        case .generator, .calibration, .nothingToRun: "RuntimeError"
        case .pinning: "OSError"
        }
    }
}
