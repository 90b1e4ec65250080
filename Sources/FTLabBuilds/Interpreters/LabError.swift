import FTLabCore
import FTLabRunner
/// Why `ftlab lab pythons` could not build or verify the lab pair.
public enum LabError: FTLabError, Equatable {
    /// Build tools are not on PATH.
    case missingTools([String])
    /// The tarball's sha256 is not the expected one.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// `--sha256` is not 64 hex digits.
    case badChecksum(String)
    /// `--version` is not X.Y.Z, or it has no pinned source and no `--source-url` was given.
    case badVersion(String, reason: String)
    /// Only one of `--source-url` and `--sha256` was given.
    case incompleteSource
    /// The version cannot be read from a `--source-url` and no `--version` was given.
    case versionNotInURL(String)
    /// The private apt sources list (`lab/apt/<suite>-src.list`) is not found.
    case aptSourcesNotFound(file: String, searched: [String])
    /// apt-get ran but did not leave the expected tarball.
    case sourceFileMissing(file: String, directory: String, log: String)
    /// A build phase failed; `tail` holds the last lines of its log.
    case phaseFailed(label: String, phase: String, log: String, tail: String)
    /// The built interpreter is not what was asked for.
    case probeMismatch(label: String, expected: String, found: String)
    /// A finished file or folder could not be put in place.
    case cannotWrite(path: String, reason: String)

    public var exitCode: Int32 {
        switch self {
        case .phaseFailed, .probeMismatch: 1
        default: 2
        }
    }

    public var description: String {
        switch self {
        case .missingTools(let tools):
            "missing build tools: \(tools.joined(separator: ", ")); install them with: apt-get install "
                + LabPythons.buildPackages.joined(separator: " ")
        case .checksumMismatch(let file, let expected, let actual):
            "sha256 mismatch for \(file): expected \(expected), got \(actual);"
                + " check --sha256 (a download that does not match is not kept)"
        case .badChecksum(let value):
            "--sha256 '\(value)' is not a sha256 (64 hex digits)"
        case .badVersion(let value, let reason):
            "--version '\(value)': \(reason)"
        case .incompleteSource:
            "--source-url and --sha256 go together: every download is checked against its sha256"
        case .versionNotInURL(let url):
            "cannot tell the CPython version from '\(url)' (expected a file named like Python-3.14.0.tar.xz);"
                + " pass --version X.Y.Z"
        case .aptSourcesNotFound(let file, let searched):
            "the lab's apt sources list \(file) was not found under \(searched.joined(separator: ", "));"
                + " run ftlab from its checkout, or use --source-url URL --sha256 HEX"
        case .sourceFileMissing(let file, let directory, let log):
            "apt-get source did not leave \(file) in \(directory) (log: \(log)); the Debian package may have"
                + " moved to a newer release: use --source-url URL --sha256 HEX for another source"
        case .phaseFailed(let label, let phase, let log, let tail):
            "\(label): \(phase) failed; last lines of \(log):\n\(tail)\nfull log: \(log)"
        case .probeMismatch(let label, let expected, let found):
            "\(label): the built interpreter is \(found), expected \(expected)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
