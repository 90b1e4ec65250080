import FTLabCore
/// Bad input to `report` that is not about a results file; exits 2 and says what would work.
public enum ReportError: FTLabError, Equatable {
    case cannotWrite(path: String, reason: String)
    /// A `--verdicts` file that is not an `ftlab explain --format json` document.
    case unreadableVerdicts(String, String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            "cannot write the report to \(path): \(reason); choose a writable -o path"
        case let .unreadableVerdicts(path, reason):
            "cannot read the verdicts in \(path): \(reason); give the file `ftlab explain ... --format json` wrote"
        }
    }
}
