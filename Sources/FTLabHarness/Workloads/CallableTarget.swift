import Foundation
import FTLabCore

/// `ftlab run --callable MODULE:FUNCTION`: one function as a workload, no manifest to write.
/// It runs as the built-in `_callable` workload (`Workloads/_callable`) named after the module,
/// with the function as its variant and the target in its params (`callable`, `callable_dir`,
/// `result_check`), so the runner, the rows, `report` and `compare` treat it like any workload.
public struct CallableTarget: Sendable, Equatable {
    /// The module to import, e.g. `statistics` or `mypkg.work`.
    public var module: String
    /// The attribute to call with no arguments, e.g. `fmean` or `Parser.run`.
    public var function: String
    /// The folder the module is imported from (absolute); nil: the current directory.
    public var directory: String?
    /// PyPI requirements, installed into a venv per interpreter like a workload's.
    public var requirements: [String]
    /// Whether every call must return what the first call at 1 thread returned.
    public var resultCheck: Bool

    /// The folder of the workload template, inside the built-in `Workloads/`.
    public static let templateFolder = "_callable"

    /// Checks the target's shape and reads its requirements (`requirement` strings, then the
    /// file or project folder `requirementsSource` names); the harness checks the rest.
    public init(spec: String, directory: String? = nil, requirement: [String] = [], requirementsSource: String? = nil,
                resultCheck: Bool = true) throws(CallableError) {
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, Self.isDottedName(parts[0]), Self.isDottedName(parts[1]) else { throw .badSpec(spec) }
        module = parts[0]
        function = parts[1]
        if let directory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .notAFolder(directory)
            }
            self.directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        }
        var all: [String] = []
        for item in requirement {
            if let problem = Requirements.problem(item) { throw .badRequirement(option: "--requirement", value: item, reason: problem) }
            all.append(item)
        }
        if let source = requirementsSource {
            do {
                for item in try Requirements.fromSource(source) where !all.contains(item) { all.append(item) }
            } catch {
                throw .badRequirement(option: "--requirements", value: source, reason: error.reason)
            }
        }
        requirements = all
        self.resultCheck = resultCheck
    }

    /// `module:function`, as given.
    public var spec: String { "\(module):\(function)" }

    /// The selector that runs it: the workload (the module) and its variant (the function).
    public var selector: String { "\(module)/\(function)" }

    /// The `--param` settings that carry the target to the harness; an empty `callable_dir`
    /// and `result_check=on` are the defaults (rows say `result_check=on` or `off`).
    public var params: [String] {
        ["callable=\(spec)"] + (directory.map { ["callable_dir=\($0)"] } ?? []) + (resultCheck ? [] : ["result_check=off"])
    }

    /// The workload, made from the template in `builtinDirectory` (`Workloads/`).
    public func workload(builtinDirectory: String) throws(WorkloadError) -> Workload {
        let folder = (builtinDirectory as NSString).appendingPathComponent(Self.templateFolder)
        var workload = try Workload.load(directory: folder)
        var manifest = workload.manifest
        let template = manifest.variants.first
        manifest.name = module
        manifest.description = "\(spec) called with no arguments by every worker thread (ftlab run --callable)."
        manifest.question = "Does \(module).\(function)() scale when every thread calls it?"
        manifest.variants = [WorkloadManifest.Variant(name: function, question: manifest.question,
                                                      maxThreads: template?.maxThreads, requirements: nil)]
        manifest.requirements = requirements
        manifest.quickVariants = nil
        workload.manifest = manifest
        return workload
    }

    /// Letters, digits and `_` in dot-separated parts, none starting with a digit.
    static func isDottedName(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { part in
            guard let first = part.first, !first.isNumber else { return false }
            return part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }
    }
}

extension WorkloadCatalog {
    /// Adds the workload `target` runs. A workload of its name already in the catalog is an
    /// error (its rows would read as that workload's).
    public mutating func add(_ target: CallableTarget) throws(CallableError) {
        if let taken = workloads.first(where: { $0.name == target.module }) {
            throw .nameTaken(spec: target.spec, workload: taken.name, directory: taken.directory)
        }
        do {
            workloads.append(try target.workload(builtinDirectory: builtinDirectory))
        } catch {
            throw .template(error.description)
        }
    }
}

/// A bad `--callable` and what goes with it (exit 2).
public enum CallableError: FTLabError, Equatable {
    case badSpec(String)
    case notAFolder(String)
    case badRequirement(option: String, value: String, reason: String)
    case nameTaken(spec: String, workload: String, directory: String)
    /// An option that only goes with `--callable` given without it.
    case withoutCallable(option: String)
    /// `Workloads/_callable` is missing or broken (an incomplete installation).
    case template(String)

    public var description: String {
        switch self {
        case .badSpec(let spec):
            "bad --callable \"\(spec)\"; expected MODULE:FUNCTION (dotted names, e.g. statistics:fmean or mypkg.work:Parser.run); "
                + "the function is called with no arguments"
        case .notAFolder(let path): "bad --callable-dir \"\(path)\": not a folder"
        case let .badRequirement(option, value, reason):
            option == "--requirements"
                ? "bad --requirements \"\(value)\": \(reason); expected a requirements file or a project folder "
                    + "(requirements.txt, or pyproject.toml with [project] dependencies)"
                : "bad --requirement \"\(value)\": \(reason)"
        case let .nameTaken(spec, workload, directory):
            "--callable \(spec): its workload would be named \(workload), the name of the workload in \(directory); "
                + "call it through a module of another name (e.g. a file my_\(workload).py that imports it)"
        case .withoutCallable(let option):
            "\(option) goes with --callable MODULE:FUNCTION" + (option.hasPrefix("--requirement")
                ? " (a workload names its requirements in its workload.toml; a server app in --param app_requirements)" : "")
        case .template(let reason): "the --callable workload template is broken: \(reason)"
        }
    }
}
