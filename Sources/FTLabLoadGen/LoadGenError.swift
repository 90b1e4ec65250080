import FTLabCore
/// Problems setting up load generation (errors during the load itself are counted, not thrown).
public enum LoadGenError: FTLabError, Equatable {
    case badParameter(name: String, value: String, expected: String)
    case emptyRequestMix
    case cannotPin(cpu: Int, reason: String)
    case serverFailed(String)
    case wrkFailed(String)
    /// A body to learn before the load (``BodyLearner``) came wrong, differed between two
    /// identical requests, or did not come: the description says which part.
    case learningFailed(String)

    public var description: String {
        switch self {
        case let .badParameter(name, value, expected): "bad load parameter \(name)=\(value); expected \(expected)"
        case .emptyRequestMix: "the server published no request targets to send"
        case let .cannotPin(cpu, reason): "cannot pin a load generator thread to CPU \(cpu): \(reason)"
        case .serverFailed(let reason): "cannot start the canned server on 127.0.0.1: \(reason)"
        case .wrkFailed(let output): "wrk did not report Requests/sec: \(output.prefix(400))"
        case .learningFailed(let what): "learning the expected bodies before the load: \(what)"
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .badParameter: 2
        case .emptyRequestMix, .cannotPin, .serverFailed, .wrkFailed, .learningFailed: 1
        }
    }
}
