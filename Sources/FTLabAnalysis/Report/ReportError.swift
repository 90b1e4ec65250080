import FTLabCore
/// Bad input to `report` that is not about a results file; exits 2 and says what would work.
public enum ReportError: FTLabError, Equatable {
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            "cannot write the report to \(path): \(reason); choose a writable -o path"
        }
    }
}
