import Foundation
import FTLabCore

/// A workload's `workload.toml`: what it measures, in which unit, its variants and parameters.
public struct WorkloadManifest: Sendable, Equatable, Codable {
    public var name: String
    public var description: String
    public var question: String
    public var unit: String
    public var variants: [Variant]
    public var params: [Parameter]
    /// `batch` (the harness runs batches of work) or `server` (the harness starts a server and
    /// ftlab's load generator drives it); `batch` when the manifest does not say.
    public var kind: Kind
    /// CPython's tool script the workload runs (`[script]`); its registered functions are the
    /// variants, filled in when the workload is loaded (`Workload.load`).
    public var script: ScriptSource?
    /// PyPI requirements (PEP 508 strings) every variant needs, installed into one venv per
    /// (interpreter, requirements) before the run; `requirements = "FILE"` names a
    /// requirements file beside the manifest instead (read by ``Workload/load(directory:)``).
    public var requirements: [String] = []
    /// The requirements file named by `requirements = "FILE"`, before it is read.
    package var requirementsFile: String?
    /// `quick_variants`: the variants the quick suite (`ftlab run --quick` with no workload
    /// named) runs, when a workload has too many for it; names the found script lacks are
    /// ignored. Nil: every variant. Naming the workload runs all of them.
    public var quickVariants: [String]?

    /// How a workload is measured (Workloads/_harness/PROTOCOL.md).
    public enum Kind: String, Sendable, Equatable {
        case batch, server
    }

    /// One way of running the workload; each answers its own question.
    public struct Variant: Sendable, Equatable, Codable {
        public var name: String
        public var question: String
        /// The most worker threads the variant runs (nil: no limit); larger counts are skipped.
        public var maxThreads: Int?
        /// PyPI requirements this variant needs on top of the workload's (e.g. its server).
        public var requirements: [String]?
        /// Variants with the same `process_group` share each interpreter process of a
        /// configuration, measured one after another (a project's tests of one file); nil: a
        /// process of its own.
        public var processGroup: String? = nil

        package enum CodingKeys: String, CodingKey {
            case name, question, maxThreads = "max_threads", requirements, processGroup = "process_group"
        }
    }

    /// The requirements of `variant`: the workload's, then the variant's own, duplicates dropped.
    public func requirements(for variant: String) -> [String] {
        var all = requirements
        for item in variants.first(where: { $0.name == variant })?.requirements ?? [] where !all.contains(item) {
            all.append(item)
        }
        return all
    }

    /// A tunable input with its default (values are passed to the harness as strings).
    public struct Parameter: Sendable, Equatable, Codable {
        public var name: String
        public var `default`: String
        public var description: String
        /// `requirements`: the value names PyPI requirements (a requirements file or a project
        /// folder, ``Requirements/fromParameter(_:value:)``) that join the variant's in its venv;
        /// nil: an ordinary value.
        public var kind: String?

        public init(name: String, default: String, description: String, kind: String? = nil) {
            self.name = name
            self.default = `default`
            self.description = description
            self.kind = kind
        }

        /// The one `kind` a parameter may have.
        public static let requirementsKind = "requirements"
    }

    package enum CodingKeys: String, CodingKey {
        case name, description, question, unit, variants, params, kind, script, requirements
        case quickVariants = "quick_variants"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decode(String.self, forKey: .description)
        question = try c.decode(String.self, forKey: .question)
        unit = try c.decode(String.self, forKey: .unit)
        script = try c.decodeIfPresent(ScriptSource.self, forKey: .script)
        variants = script?.decorator == nil ? try c.decode([Variant].self, forKey: .variants)
            : try c.decodeIfPresent([Variant].self, forKey: .variants) ?? []
        params = try c.decodeIfPresent([Parameter].self, forKey: .params) ?? []
        quickVariants = try c.decodeIfPresent([String].self, forKey: .quickVariants)
        let kindText = try c.decodeIfPresent(String.self, forKey: .kind) ?? Kind.batch.rawValue
        guard let kind = Kind(rawValue: kindText) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "`kind` must be batch or server, not \"\(kindText)\"")
        }
        self.kind = kind
        if let list = try? c.decodeIfPresent([String].self, forKey: .requirements) {
            requirements = list
        } else if let file = try? c.decodeIfPresent(String.self, forKey: .requirements) {
            requirementsFile = file
        } else if c.contains(.requirements) {
            throw DecodingError.dataCorruptedError(forKey: .requirements, in: c, debugDescription:
                "`requirements` must be an array of PEP 508 strings or the name of a requirements file beside workload.toml")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(description, forKey: .description)
        try c.encode(question, forKey: .question)
        try c.encode(unit, forKey: .unit)
        try c.encode(kind.rawValue, forKey: .kind)
        try c.encode(variants, forKey: .variants)
        try c.encode(params, forKey: .params)
        try c.encodeIfPresent(script, forKey: .script)
    }

    /// The environment variable that hands run.py the validated manifest (PROTOCOL.md).
    public static let harnessEnvironmentKey = "FTLAB_MANIFEST_JSON"

    /// The manifest as one line of JSON in workload.toml's own shape (keys as in the file,
    /// `kind` always present, `max_threads` only where set): what run.py reads from
    /// `harnessEnvironmentKey` instead of parsing workload.toml itself.
    public var harnessJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, integers and arrays of them: encoding cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// The manifest as ``harnessJSON`` shows it with `variant` its only variant: what one process
    /// of that variant gets in `harnessEnvironmentKey`. One variant's share keeps the variable
    /// small whatever the workload declares (an environment string may hold 128 KiB).
    public func harnessJSON(variant: String) -> String {
        harnessJSON(variants: [variant])
    }

    /// The manifest as ``harnessJSON`` shows it with only `names` among its variants: what a
    /// process that measures several variants of one `process_group` gets.
    public func harnessJSON(variants names: [String]) -> String {
        var some = self
        some.variants = variants.filter { names.contains($0.name) }
        return some.harnessJSON
    }

    /// The most bytes `harnessJSON(variant:)` may take (the kernel refuses a longer environment
    /// string than 128 KiB; this leaves room for the name and ftlab's other variables).
    public static let harnessJSONLimit = 100 << 10

    /// A decoding error said in a manifest's terms (the key, its table, what it must be) with
    /// its line; nil for one said as the decoder says it.
    private static func explain(_ error: DecodingError, in text: String) -> (line: Int?, reason: String)? {
        switch error {
        case let .keyNotFound(key, context):
            // TOMLKit also reports a value of the wrong type (`default = 5`) as not found.
            var table = context.codingPath
            if table.last?.stringValue == key.stringValue { table.removeLast() }
            let location = ManifestLocation(table + [key], in: text)
            let expected = ["variants", "params"].contains(key.stringValue) ? "an array of tables" : "a string"
            let problem = location.keyPresent ? "`\(key.stringValue)` \(describe(table)) must be \(expected)"
                : "missing field `\(key.stringValue)` \(describe(table))"
            return (location.line, problem)
        case let .dataCorrupted(context):
            return (nil, context.debugDescription)
        case let .typeMismatch(_, context):
            let key = context.codingPath.last?.stringValue ?? ""
            return (ManifestLocation(context.codingPath, in: text).line,
                    "`\(key)` \(describe(context.codingPath.dropLast())) has the wrong type (\(context.debugDescription))")
        default:
            return nil
        }
    }

    /// Parses manifest text; `path` names the file in errors.
    public static func parse(_ text: String, path: String) throws(WorkloadError) -> WorkloadManifest {
        let manifest: WorkloadManifest
        do {
            manifest = try TOMLDocument.decode(WorkloadManifest.self, from: text)
        } catch {
            let said = error.decoding.flatMap { explain($0, in: text) } ?? (error.line, error.reason)
            throw .badManifest(path: said.line.map { "\(path):\($0)" } ?? path, reason: said.reason)
        }
        if manifest.variants.isEmpty, manifest.script == nil {
            throw .badManifest(path: path, reason: "no [[variants]]: a workload needs at least one")
        }
        if manifest.script?.decorator != nil, !manifest.variants.isEmpty {
            throw .badManifest(path: path, reason: "[[variants]] with a [script] decorator: the script's registered functions are the variants")
        }
        if let script = manifest.script, script.decorator == nil, script.uses == nil {
            throw .badManifest(path: path, reason: "[script] needs `decorator` (its functions are the variants) or `uses` (a name the script must contain)")
        }
        for item in manifest.requirements + manifest.variants.flatMap({ $0.requirements ?? [] }) {
            if let problem = Requirements.problem(item) { throw .badManifest(path: path, reason: problem) }
        }
        // The params column joins `name=value` pairs with `;`: neither may be read two ways.
        if let bad = manifest.params.first(where: { $0.name.isEmpty || $0.name.contains(";") || $0.name.contains("=") }) {
            throw .badManifest(path: path, reason: "parameter name \"\(bad.name)\": a name must not be empty or contain ';' or '='")
        }
        if let bad = manifest.params.first(where: { $0.kind != nil && $0.kind != Parameter.requirementsKind }) {
            throw .badManifest(path: path, reason: "parameter \(bad.name): kind \"\(bad.kind!)\" is unknown; "
                               + "the only kind is \"\(Parameter.requirementsKind)\" (its value names requirements for the venv)")
        }
        if let bad = manifest.params.first(where: { $0.default.contains(";") }) {
            throw .badManifest(path: path, reason: "parameter \(bad.name): its default \"\(bad.default)\" must not contain ';' "
                               + "(the params column separates parameters with it)")
        }
        if let longest = manifest.variants.max(by: { $0.name.utf8.count + $0.question.utf8.count < $1.name.utf8.count + $1.question.utf8.count }) {
            let size = manifest.harnessJSON(variant: longest.name).utf8.count
            if size > harnessJSONLimit {
                throw .badManifest(path: path, reason: "variant \(longest.name) takes \(size >> 10) KiB as JSON (descriptions, questions, "
                                   + "defaults), over the \(harnessJSONLimit >> 10) KiB a process's manifest may take; shorten them")
            }
        }
        if let bad = manifest.variants.first(where: { ($0.maxThreads ?? 1) < 1 }) {
            throw .badManifest(path: path, reason: "variant \(bad.name): max_threads must be at least 1")
        }
        return manifest
    }

    /// `in [[variants]] #2` for a coding path into a table, `at the top level` otherwise.
    private static func describe(_ path: some Collection<CodingKey>) -> String {
        let parts = Array(path)
        guard parts.count >= 2, let index = parts[1].intValue else { return "at the top level" }
        return "in [[\(parts[0].stringValue)]] #\(index + 1)"
    }
}

/// A workload on disk: its folder and parsed manifest.
public struct Workload: Sendable, Equatable {
    public var directory: String
    public var manifest: WorkloadManifest
    /// For a `[script]` workload: the script found (its functions are `manifest.variants`) or
    /// why none was; nil for every other workload.
    public var script: ScriptStatus?
    public var name: String { manifest.name }

    public init(directory: String, manifest: WorkloadManifest, script: ScriptStatus? = nil) {
        self.directory = directory
        self.manifest = manifest
        self.script = script
    }

    /// Why the workload cannot run here (its script is missing), or nil.
    public var unavailable: String? {
        if case .missing(let reason) = script { return reason }
        return nil
    }

    /// What every process of the workload gets besides the configuration's environment: the
    /// path of its script in `FTLAB_<TOOL>`.
    public var harnessEnvironment: [String: String] {
        guard let source = manifest.script, let located = script?.located else { return [:] }
        return [source.environmentKey: located.path]
    }

    /// The name of the parameter that pins the script's digest (a `[script]` workload declares it;
    /// its default becomes the found file's sha256, so every row names the file it measured).
    public static let scriptDigestParameter = "script_sha256"

    /// Loads `directory/workload.toml` and checks `workload.py` is beside it; a `[script]`
    /// workload's script is looked up with `locator` and its registered functions become the variants.
    public static func load(directory: String, locator: ToolScriptLocator = ToolScriptLocator()) throws(WorkloadError) -> Workload {
        let manifestPath = (directory as NSString).appendingPathComponent("workload.toml")
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw .badManifest(path: manifestPath, reason: "file not found")
        }
        var manifest = try WorkloadManifest.parse(String(decoding: data, as: UTF8.self), path: manifestPath)
        let module = (directory as NSString).appendingPathComponent("workload.py")
        guard FileManager.default.fileExists(atPath: module) else {
            throw .badManifest(path: module, reason: "file not found (every workload needs workload.py beside workload.toml)")
        }
        if let file = manifest.requirementsFile {
            let path = file.hasPrefix("/") ? file : (directory as NSString).appendingPathComponent(file)
            guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw .badManifest(path: manifestPath, reason: "requirements file \(file) not found beside workload.toml")
            }
            manifest.requirements = try Requirements.parseFile(text, path: path)
            manifest.requirementsFile = nil
        }
        guard let source = manifest.script else { return Workload(directory: directory, manifest: manifest) }
        var filled = manifest
        let status = locator.locate(source)
        if let located = status.located {
            if source.decorator != nil {
                filled.variants = located.benchmarks.map {
                    .init(name: $0, question: "\(source.fileName)'s \($0)(): does it scale when every thread calls it (weak scaling)?")
                }
            }
            for index in filled.params.indices where filled.params[index].name == scriptDigestParameter {
                filled.params[index].default = located.sha256
            }
        }
        return Workload(directory: directory, manifest: filled, script: status)
    }
}

/// Problems finding, loading or selecting workloads.
public enum WorkloadError: FTLabError, Equatable {
    case badManifest(path: String, reason: String)
    case unknownWorkload(String, known: [String])
    case unknownVariant(workload: String, variant: String, known: [String])
    case unknownParameter(workload: String, name: String, known: [String])
    case badParameter(String)
    /// A `--param` value with `;`, the params column's separator.
    case separatorInParameter(String)
    case noWorkloadsDirectory(String)
    case duplicateWorkload(name: String, first: String, second: String)
    /// A `[script]` workload whose script is not on this machine.
    case unavailable(workload: String, reason: String)
    case rejectedParameters(selector: String, message: String)
    /// A `kind = "requirements"` parameter whose value is no requirements file or project folder.
    case badRequirementsParameter(parameter: String, value: String, reason: String)

    public var description: String {
        switch self {
        case let .badManifest(path, reason): "bad workload manifest \(path): \(reason)"
        case let .unknownWorkload(name, known):
            "unknown workload \"\(name)\"; known: \(known.joined(separator: ", ")) (see `ftlab list`)"
        case let .unknownVariant(workload, variant, known):
            "workload \(workload) has no variant \"\(variant)\"; variants: \(known.joined(separator: ", "))"
        case let .unknownParameter(workload, name, known):
            "workload \(workload) has no parameter \"\(name)\"; parameters: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))"
        case let .badParameter(text): "bad --param \"\(text)\"; expected KEY=VALUE or WORKLOAD.KEY=VALUE"
        case let .separatorInParameter(text):
            "bad --param \"\(text)\": a value must not contain ';', which separates parameters in the params column; "
                + "give each parameter its own --param KEY=VALUE"
        case let .noWorkloadsDirectory(path): "workloads directory \(path) does not exist or holds no workload"
        case let .rejectedParameters(selector, message): "\(selector): \(message)"
        case let .badRequirementsParameter(parameter, value, reason):
            "bad --param \(parameter)=\(value): \(reason); expected a requirements file (one PEP 508 string a line) "
                + "or a project folder holding requirements.txt or a pyproject.toml with [project] dependencies"
        case let .duplicateWorkload(name, first, second):
            "workload \(name) is defined twice: \(first) and \(second)"
        case let .unavailable(workload, reason):
            "workload \(workload) is unavailable: \(reason); get the script with `\(ScriptSource.getCommand)`"
        }
    }
}
