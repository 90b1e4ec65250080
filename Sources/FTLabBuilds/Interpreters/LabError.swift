import FTLabCore
import FTLabInterpreters
/// Why `ftlab lab pythons` could not build or verify a lab pair.
public enum LabError: FTLabError, Equatable {
    /// Build tools are not on PATH.
    case missingTools([String])
    /// A tarball's sha256 is not the expected one; `keptAt` is where the file was set aside.
    case checksumMismatch(file: String, expected: String, actual: String, keptAt: String?)
    /// `--sha256` is not 64 hex digits.
    case badChecksum(String)
    /// `--version` names no release of the lock.
    case unknownVersion(String, known: [String])
    /// `--version` is not a release the lab can build (not X.Y.Z, or before 3.13).
    case badVersion(String, reason: String)
    /// A `--source` URL (or a file the lock does not know) came without `--sha256`.
    case incompleteSource(String)
    /// `--source` is neither an existing file nor a URL.
    case noSuchSource(String)
    /// The tarball is not a CPython source release.
    case notCPythonSource(String, reason: String)
    /// `--version` and the version inside `--source` disagree.
    case versionConflict(asked: String, found: String, file: String)
    /// An origin could not be reached or refused the download.
    case downloadFailed(origin: String, detail: String, log: String)
    /// No source of a release could be had from the cache, the mirror folder or any origin.
    case unobtainable(version: String, files: [String], attempts: [String], mirror: String?)
    /// The mirror folder (`--source-dir`, `$FTLAB_SOURCE_DIR`) is not a directory.
    case badMirror(String)
    /// `lab/pythons.toml` is not found.
    case lockNotFound(file: String, searched: [String])
    /// `lab/pythons.toml` cannot be read or breaks its rules.
    case badLock(path: String, reason: String)
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
        case .checksumMismatch(let file, let expected, let actual, let keptAt):
            "sha256 mismatch for \(file): expected \(expected), got \(actual)"
                + (keptAt.map { "; the file is kept aside at \($0) and not used" } ?? "; the file is not used")
        case .badChecksum(let value):
            "--sha256 '\(value)' is not a sha256 (64 hex digits)"
        case .unknownVersion(let value, let known):
            "--version '\(value)' is not in the lock (lab/pythons.toml); locked releases: \(known.joined(separator: ", "))"
                + " (or a series such as \(known.first.map { $0.split(separator: ".").prefix(2).joined(separator: ".") } ?? "3.14"), or all);"
                + " another release builds with --source FILE|URL --sha256 HEX"
        case .badVersion(let value, let reason):
            "--version '\(value)': \(reason)"
        case .incompleteSource(let source):
            "--source \(source) needs --sha256 HEX: every source is checked against its sha256"
                + " (a file whose digest is in lab/pythons.toml needs none)"
        case .noSuchSource(let value):
            "--source '\(value)' is neither a file on this machine nor a URL (https://..., file://...)"
        case .notCPythonSource(let file, let reason):
            "\(file) is not a CPython source tarball: \(reason)"
        case .versionConflict(let asked, let found, let file):
            "--version \(asked) but \(file) is the source of CPython \(found)"
        case .downloadFailed(let origin, let detail, let log):
            "cannot download from \(origin): \(detail) (log: \(log))"
        case .unobtainable(let version, let files, let attempts, let mirror):
            "cannot get the source of CPython \(version): "
                + (attempts.isEmpty ? "no origin to try" : attempts.joined(separator: "; ")) + ". Ways out:"
                + " put \(files.joined(separator: " or ")) in a mirror folder and pass --source-dir DIR"
                + " (or set \(SourceFinder.mirrorVariable))" + (mirror.map { " (\($0) has neither)" } ?? "")
                + "; or pass --source FILE|URL --sha256 HEX; or build a release this machine can get"
                + " (`ftlab lab pythons` picks the newest one)"
        case .badMirror(let path):
            "the mirror folder '\(path)' (--source-dir or \(SourceFinder.mirrorVariable)) is not a directory"
        case .lockNotFound(let file, let searched):
            "the lock of CPython sources \(file) was not found under \(searched.joined(separator: ", "));"
                + " run ftlab from its checkout, or use --source FILE|URL --sha256 HEX"
        case .badLock(let path, let reason):
            "\(path): \(reason)"
        case .aptSourcesNotFound(let file, let searched):
            "the lab's apt sources list \(file) was not found under \(searched.joined(separator: ", "));"
                + " run ftlab from its checkout, or use --source FILE|URL --sha256 HEX"
        case .sourceFileMissing(let file, let directory, let log):
            "apt-get source did not leave \(file) in \(directory) (log: \(log)); the Debian package may have"
                + " moved to a newer release: use --source FILE|URL --sha256 HEX for another source"
        case .phaseFailed(let label, let phase, let log, let tail):
            "\(label): \(phase) failed; last lines of \(log):\n\(tail)\nfull log: \(log)"
        case .probeMismatch(let label, let expected, let found):
            "\(label): the built interpreter is \(found), expected \(expected)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
