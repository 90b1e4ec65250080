import FTLabCore
/// Why an interpreter spec (`--python PATH|LABEL`) was refused.
public enum InterpreterError: FTLabError, Equatable {
    case noSuchFile(path: String)
    case notExecutable(path: String)
    /// It ran, but did not answer the probe like a Python 3 interpreter.
    case notPython(path: String, detail: String)
    case notCPython(path: String, implementation: String)
    case tooOld(path: String, version: String)
    /// Neither a file, nor a name on PATH, nor a lab label.
    case unknownLabel(String, known: [String])
    /// A lab label whose build is not in the cache.
    case notBuilt(label: String, executable: String)
    /// `ladder`, `X.Y` or `X.Y.Z` found no built pair (`built`: the releases that are; `found`:
    /// the pairs found on the machine outside the lab).
    case noPairBuilt(String, built: [String] = [], found: [String] = [])
    /// A path inside a lab build that never finished (cut off before its manifest was written).
    case unfinishedBuild(path: String, folder: String)

    public var description: String {
        switch self {
        case .noSuchFile(let path):
            "interpreter '\(path)' does not exist; pass a Python executable, a name on PATH"
                + " (python3.13t) or a lab label (\(Self.labelHint))"
        case .notExecutable(let path):
            "interpreter '\(path)' is not an executable file"
        case .notPython(let path, let detail):
            "'\(path)' is not a Python 3 interpreter ftlab can use: \(detail)"
        case .notCPython(let path, let implementation):
            "'\(path)' is \(implementation), not CPython; ftlab measures CPython 3.10 or newer"
        case .tooOld(let path, let version):
            "'\(path)' is CPython \(version); ftlab needs CPython 3.10 or newer"
        case .unknownLabel(let spec, let known):
            "unknown interpreter '\(spec)': not a file, not on PATH and not a lab label;"
                + " known labels: \(known.joined(separator: ", ")) (lab = the default pair, ladder = every built pair, X.Y = the newest built X.Y pair)."
                + " Build the lab pair with `ftlab lab pythons`"
        case .notBuilt(let label, let executable):
            "lab interpreter '\(label)' is not built (no \(executable));"
                + " build it with `ftlab lab pythons\(Self.buildHint(label))` (2-3 minutes per interpreter)"
        case .noPairBuilt(let spec, let built, let found):
            "no lab pair matches '\(spec)': "
                + (built.isEmpty ? "none is built" : "built releases: \(built.joined(separator: ", "))")
                + (found.isEmpty ? "" : "; pairs found on this machine: \(found.joined(separator: "; "))")
                + "; build it with `ftlab lab pythons --version \(spec == "ladder" ? "all" : spec)`"
                + " (`ftlab env` lists the interpreters found)"
        case .unfinishedBuild(let path, let folder):
            "'\(path)' belongs to a lab build that did not finish (\(folder) has no \(LabManifest.fileName));"
                + " run `ftlab lab pythons` again to redo it"
        }
    }

    private static var labelHint: String {
        (LabPythons.pinnedLabels + ["lab", "ladder", "X.Y"]).joined(separator: ", ")
    }

    private static func buildHint(_ label: String) -> String {
        guard let target = LabTarget(label: label), target.version != LabPythons.pinnedVersion else { return "" }
        return " --version \(target.version)"
    }
}
