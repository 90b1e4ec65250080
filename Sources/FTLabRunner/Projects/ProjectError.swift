import FTLabCore

/// What stops `ftlab project` before anything is measured (exit 2).
public enum ProjectError: FTLabError, Equatable {
    case notAFolder(String)
    case noTests(folder: String)
    case noName(folder: String)
    case badPyproject(path: String, reason: String)
    case unknownExtra(name: String, known: [String])
    case badRequirementsFile(path: String, reason: String)
    /// pytest collected nothing on any interpreter: its own words.
    case collectionFailed(exitCode: Int, output: String)
    case collectorFailed(interpreter: String, output: String)
    case noInterpreterInstalled(String)
    case snapshotFailed(String)

    public var description: String {
        switch self {
        case let .notAFolder(path): "project folder \(path) does not exist or is not a folder"
        case let .noTests(folder):
            "\(folder) has no tests: pytest collected none (test files are test_*.py or *_test.py; pass paths or node ids after the folder)"
        case let .noName(folder):
            "cannot tell the distribution name of \(folder): no [project] name in pyproject.toml and no name in setup.cfg (a setup.py project: pass --name with the name it installs as)"
        case let .badPyproject(path, reason): "cannot read \(path): \(reason)"
        case let .unknownExtra(name, known):
            "the project has no extra \"\(name)\"; its extras: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))"
        case let .badRequirementsFile(path, reason): "bad requirements file \(path): \(reason)"
        case let .collectionFailed(code, output):
            "pytest could not collect the tests (exit code \(code)); its last lines:\n\(output)"
        case let .collectorFailed(interpreter, output): "\(interpreter): the test collector failed: \(output)"
        case let .noInterpreterInstalled(reason): "the project installs on none of the run's interpreters: \(reason)"
        case let .snapshotFailed(reason): "cannot snapshot the project: \(reason)"
        }
    }
}
