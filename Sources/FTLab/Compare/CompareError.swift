/// Bad input to `compare`; each exits 2 and says what would be accepted.
public enum CompareError: FTLabError, Equatable {
    case badThreshold(String)
    case unknownColumn(String, valid: [String])
    case unknownMetric(String, valid: [String])
    case noCommonConfigurations(base: String, new: String, ignored: [String])

    public var description: String {
        switch self {
        case let .badThreshold(text):
            "threshold \"\(text)\" is not understood; write a percentage such as 5% or a fraction "
                + "such as 0.05 (from 0 up to, not including, 100%)"
        case let .unknownColumn(name, valid):
            "--ignore: \"\(name)\" is not a configuration column; valid columns: \(valid.joined(separator: ", "))"
        case let .unknownMetric(name, valid):
            "--metric: \"\(name)\" is not a metric; valid metrics: \(valid.joined(separator: ", "))"
        case let .noCommonConfigurations(base, new, ignored):
            "\(base) and \(new) have no configuration in common"
                + (ignored.isEmpty ? "" : " (ignoring \(ignored.joined(separator: ", ")))")
                + "; to pair configurations that differ on purpose, name the differing columns "
                + "with --ignore (for example --ignore interpreter,python_version)"
        }
    }
}
