import FTLabCore
/// Bad input to `compare`; each exits 2 and says what would be accepted.
public enum CompareError: FTLabError, Equatable {
    case badThreshold(String)
    case unknownColumn(String, valid: [String])
    case unknownMetric(String, valid: [String])
    case noCommonConfigurations(base: String, new: String, ignored: [String])
    case badSelection(option: String, String)
    case unknownSelectionColumn(option: String, String, valid: [String])
    case noRowsSelected(option: String, file: String, column: String, value: String, present: [String])
    case oneFileNeedsSelections

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
        case let .badSelection(option, text):
            "\(option) \"\(text)\" is not COLUMN=VALUE; e.g. \(option) env=PYTHONMALLOC=malloc_debug or "
                + "\(option) interpreter=cpython-3.13.5t (an empty VALUE selects rows where the column is empty)"
        case let .unknownSelectionColumn(option, column, valid):
            "\(option): \"\(column)\" is not a configuration column; valid columns: \(valid.joined(separator: ", "))"
        case let .noRowsSelected(option, file, column, value, present):
            "\(option) \(column)=\(value): no row of \(file) has that value; its \(column) values are "
                + present.map { "\"\($0)\"" }.joined(separator: ", ")
        case .oneFileNeedsSelections:
            "with one results file, say which rows are the base and which the new side: "
                + "--base COLUMN=VALUE --new COLUMN=VALUE (e.g. --base env= --new env=PYTHONMALLOC=malloc_debug)"
        }
    }
}
