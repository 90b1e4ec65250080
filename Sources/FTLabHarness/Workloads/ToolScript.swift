import Foundation
import FTLabCore

/// A manifest's `[script]` table: the workload runs one of CPython's own tool scripts
/// (`Tools/<tool>/<tool>.py`), found at run time and never copied into the repository. With a
/// `decorator`, every function the script decorates with `@<decorator>` is a variant; without
/// one the manifest lists its `[[variants]]` and `uses` names what the script must contain.
public struct ScriptSource: Sendable, Equatable, Codable {
    /// The tool's name: `ftscalingbench` for `Tools/ftscalingbench/ftscalingbench.py`.
    public var tool: String
    /// The decorator that registers a benchmark (`register_benchmark`), when the script has one.
    public var decorator: String?
    /// A name the script's text must contain (`benchmark_locks`), so that another file of the
    /// same name is refused.
    public var uses: String?

    public init(tool: String, decorator: String? = nil, uses: String? = nil) {
        self.tool = tool
        self.decorator = decorator
        self.uses = uses
    }

    /// The script's file name.
    public var fileName: String { "\(tool).py" }
    /// The variable that names the script (file or folder); ftlab sets it for every process.
    public var environmentKey: String { "FTLAB_" + tool.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() }
    /// The command that fetches the script.
    public static let getCommand = "ftlab lab examples"
}

/// The script a `[script]` workload runs, as found: where, its digest, what it defines.
public struct LocatedScript: Sendable, Equatable {
    public var path: String
    public var sha256: String
    /// Where it came from, in words (`Debian python3.15-examples 3.15.2`, `FTLAB_FTSCALINGBENCH`).
    public var origin: String
    /// The functions it registers, in file order (its variants); empty for a script without a
    /// decorator (the manifest's variants then).
    public var benchmarks: [String]
}

/// Whether a `[script]` workload's script was found.
public enum ScriptStatus: Sendable, Equatable {
    case found(LocatedScript)
    /// Not found: why, and the command that gets it.
    case missing(reason: String)

    /// The script, when found.
    public var located: LocatedScript? {
        if case .found(let script) = self { return script }
        return nil
    }
}

/// Finds CPython's tool scripts: `FTLAB_<TOOL>` (a file, a folder holding it, a CPython source
/// tree, an unpacked `python3.X-examples` package) when set; else the newest of the packages
/// `ftlab lab examples` unpacked under `<cache>/tools`, lab source trees under `<cache>/build`,
/// and system-installed `python3.X-examples` under `/usr/share/doc`.
public struct ToolScriptLocator: Sendable {
    public var environment: [String: String]
    public var cache: CacheDirectory
    /// `/usr/share/doc` on a real system; tests point it elsewhere.
    public var systemDocs: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                cache: CacheDirectory? = nil, systemDocs: String = "/usr/share/doc") {
        self.environment = environment
        self.cache = cache ?? CacheDirectory(environment: environment)
        self.systemDocs = systemDocs
    }

    /// One place a script may be, with the CPython version it belongs to (when known).
    package struct Candidate: Equatable {
        var path: String
        var version: [Int]
        var origin: String
    }

    /// Finds `source`'s script and reads what it registers.
    public func locate(_ source: ScriptSource) -> ScriptStatus {
        let fm = FileManager.default
        let candidates: [Candidate]
        if let given = environment[source.environmentKey], !given.isEmpty {
            candidates = Self.inside(given, source).map { Candidate(path: $0, version: [], origin: source.environmentKey) }
            guard let first = candidates.first(where: { fm.isReadableFile(atPath: $0.path) }) else {
                return .missing(reason: "\(source.environmentKey)=\(given) holds no \(source.fileName)"
                    + " (looked for \(candidates.map(\.path).joined(separator: ", ")))")
            }
            return Self.read(first, source)
        }
        let found = searched(source).filter { fm.isReadableFile(atPath: $0.path) }
        guard let best = Self.newestFirst(found).first else {
            return .missing(reason: "no \(source.fileName) found (\(source.environmentKey) is not set; none under "
                + "\(cache.root)/tools, \(cache.root)/build or \(systemDocs)/python3.*/examples)")
        }
        return Self.read(best, source)
    }

    /// The paths `given` may hold the script at: itself, `given/<tool>.py`,
    /// `given/Tools/<tool>/<tool>.py`, `given/usr/share/doc/python3.*/examples/<tool>/<tool>.py`.
    package static func inside(_ given: String, _ source: ScriptSource) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: given, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [given]
        }
        let docs = "\(given)/usr/share/doc"
        let packaged = subfolders(of: docs).sorted(by: >).map { "\(docs)/\($0)/examples/\(source.tool)/\(source.fileName)" }
        return ["\(given)/\(source.fileName)", "\(given)/Tools/\(source.tool)/\(source.fileName)"] + packaged
    }

    /// Every place searched when `FTLAB_<TOOL>` is not set.
    package func searched(_ source: ScriptSource) -> [Candidate] {
        var out: [Candidate] = []
        let tools = "\(cache.root)/tools"
        for folder in Self.subfolders(of: tools) where folder.hasPrefix("python3.") && folder.contains("-examples-") {
            let version = String(folder.split(separator: "-").last ?? "")
            for path in Self.inside("\(tools)/\(folder)", source).dropFirst(2) {
                out.append(Candidate(path: path, version: Self.version(version),
                                     origin: "Debian \(folder.split(separator: "-").dropLast().joined(separator: "-")) \(version)"))
            }
        }
        let build = "\(cache.root)/build"
        for folder in Self.subfolders(of: build) where folder.hasPrefix("cpython-") {
            let version = folder.dropFirst("cpython-".count).trimmingCharacters(in: CharacterSet(charactersIn: "t"))
            out.append(Candidate(path: "\(build)/\(folder)/Tools/\(source.tool)/\(source.fileName)",
                                 version: Self.version(version), origin: "lab source tree \(folder)"))
        }
        for folder in Self.subfolders(of: systemDocs) where folder.hasPrefix("python3.") {
            let version = String(folder.dropFirst("python".count))
            out.append(Candidate(path: "\(systemDocs)/\(folder)/examples/\(source.tool)/\(source.fileName)",
                                 version: Self.version(version), origin: "installed \(folder)-examples"))
        }
        return out
    }

    /// Candidates ordered newest CPython version first; equal versions keep their order.
    package static func newestFirst(_ candidates: [Candidate]) -> [Candidate] {
        candidates.enumerated().sorted { a, b in
            a.element.version != b.element.version ? a.element.version.lexicographicallyPrecedes(b.element.version) == false
                : a.offset < b.offset
        }.map(\.element)
    }

    /// `3.15.2` -> [3, 15, 2]; anything unreadable counts as 0.
    package static func version(_ text: String) -> [Int] {
        text.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }

    /// The names of the functions decorated with `@decorator` (the next `def` after a line that
    /// is the decorator alone), in file order, without repeats.
    package static func registered(in text: String, decorator: String) -> [String] {
        var names: [String] = []
        var pending = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line == "@\(decorator)" {
                pending = true
            } else if pending, line.hasPrefix("def ") {
                let name = String(line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                if !name.isEmpty, !names.contains(name) { names.append(name) }
                pending = false
            } else if pending, !line.isEmpty, !line.hasPrefix("@"), !line.hasPrefix("#") {
                pending = false
            }
        }
        return names
    }

    private static func read(_ candidate: Candidate, _ source: ScriptSource) -> ScriptStatus {
        guard let data = FileManager.default.contents(atPath: candidate.path) else {
            return .missing(reason: "\(candidate.path) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        var names: [String] = []
        if let decorator = source.decorator {
            names = registered(in: text, decorator: decorator)
            guard !names.isEmpty else {
                return .missing(reason: "\(candidate.path) registers no function with @\(decorator): not CPython's \(source.fileName)?")
            }
        }
        if let uses = source.uses, !text.contains(uses) {
            return .missing(reason: "\(candidate.path) never mentions \(uses): not CPython's \(source.fileName)?")
        }
        var hasher = SHA256()
        hasher.update(data)
        return .found(LocatedScript(path: candidate.path, sha256: hasher.hexDigest(), origin: candidate.origin, benchmarks: names))
    }

    private static func subfolders(of path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}
