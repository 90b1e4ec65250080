import Foundation
import FTLabCore

/// A CPython interpreter found on the machine, described by what it says about itself.
public struct FoundInterpreter: Sendable, Equatable, Encodable {
    /// The executable as found (a name on PATH resolved to its folder).
    public var path: String
    /// Where it was found: `lab`, `PATH`, `uv`, `pyenv` or `system`.
    public var foundIn: String
    /// `X.Y.Z`, read from the interpreter; nil when it did not answer.
    public var version: String?
    /// Read from the interpreter (`Py_GIL_DISABLED`), never from its name; nil when it did not answer.
    public var build: Interpreter.Build?
    /// Why it cannot be one of a pair, when it cannot: a venv, no `sys._is_gil_enabled`, no answer.
    public var note: String?

    public init(path: String, foundIn: String, version: String? = nil, build: Interpreter.Build? = nil, note: String? = nil) {
        self.path = path
        self.foundIn = foundIn
        self.version = version
        self.build = build
        self.note = note
    }

    /// Whether it can be half of a free-threaded/GIL pair.
    public var pairable: Bool { note == nil && version != nil && build != nil }

    enum CodingKeys: String, CodingKey { case path, foundIn = "found_in", version, build, note }
}

/// Both builds of one release found on the machine (outside the lab, or in it).
public struct FoundPair: Sendable, Equatable, Encodable {
    public var version: String
    public var gil: FoundInterpreter
    public var freethreaded: FoundInterpreter
}

/// Finds the CPython interpreters already on the machine: the lab cache, every `python3[.Y][t]`
/// on PATH and in `/usr/bin` and `/usr/local/bin` (distributions, deadsnakes), uv's managed
/// Pythons (`uv python dir`, or its default folder) and pyenv's versions. Each is run once to
/// ask what it is; two executables that are one file count once.
public struct InterpreterDiscovery: Sendable {
    public var environment: [String: String]
    public var cache: CacheDirectory

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, cache: CacheDirectory? = nil) {
        self.environment = environment
        self.cache = cache ?? CacheDirectory(environment: environment)
    }

    /// Every interpreter found, lab builds first, each probed.
    public func find() async -> [FoundInterpreter] {
        let candidates = await self.candidates()
        return await withTaskGroup(of: (Int, FoundInterpreter).self) { group in
            for (index, candidate) in candidates.enumerated() {
                group.addTask { (index, await Self.describe(candidate.path, foundIn: candidate.foundIn)) }
            }
            var found: [(Int, FoundInterpreter)] = []
            for await entry in group { found.append(entry) }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Pairs of one release, a GIL build and a free-threaded one, oldest release first; within
    /// a release the first found of each build (lab builds first) is taken.
    public static func pairs(_ found: [FoundInterpreter]) -> [FoundPair] {
        let usable = found.filter(\.pairable)
        let versions = usable.compactMap(\.version).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return versions.sorted(by: ReleaseNumber.precedes).compactMap { version in
            guard let gil = usable.first(where: { $0.version == version && $0.build == .gil }),
                  let ft = usable.first(where: { $0.version == version && $0.build == .freethreaded }) else { return nil }
            return FoundPair(version: version, gil: gil, freethreaded: ft)
        }
    }

    /// Whether `name` is a versioned CPython executable name: `python3`, `python3.14`, `python3.14t`.
    package static func isPythonName(_ name: String) -> Bool {
        guard name.hasPrefix("python3") else { return false }
        var rest = name.dropFirst("python3".count)
        if rest.isEmpty { return true }
        guard rest.first == "." else { return false }
        rest = rest.dropFirst()
        if rest.last == "t" { rest = rest.dropLast() }
        return !rest.isEmpty && rest.allSatisfy(\.isNumber)
    }

    /// The places to look, in order, with what each is called.
    private func candidates() async -> [(path: String, foundIn: String)] {
        var seen = Set<String>()
        var result: [(path: String, foundIn: String)] = []
        func add(_ path: String, _ foundIn: String) {
            // A venv's python is a link to its base interpreter but runs as another one: it counts
            // once per venv; anything else once per file.
            let prefix = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
            let isVenv = FileManager.default.fileExists(atPath: prefix + "/pyvenv.cfg")
            let real = isVenv ? "venv:" + Self.realPath(prefix) : Self.realPath(path)
            guard FileManager.default.isExecutableFile(atPath: path), seen.insert(real).inserted else { return }
            result.append((path, foundIn))
        }
        for manifest in LabPythons.builds(cache: cache) { add(manifest.executable, "lab") }
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        // pyenv's shims are scripts that dispatch to its versions (listed below), not interpreters.
        for folder in path where !folder.hasSuffix("/shims") {
            for name in Self.pythonNames(in: folder) { add("\(folder)/\(name)", "PATH") }
        }
        for folder in ["/usr/local/bin", "/usr/bin"] { for name in Self.pythonNames(in: folder) { add("\(folder)/\(name)", "system") } }
        for folder in await uvFolders() { for bin in Self.installBins(under: folder) { for name in Self.pythonNames(in: bin) { add("\(bin)/\(name)", "uv") } } }
        let pyenv = environment["PYENV_ROOT"] ?? environment["HOME"].map { "\($0)/.pyenv" }
        if let pyenv {
            for bin in Self.installBins(under: "\(pyenv)/versions") { for name in Self.pythonNames(in: bin) { add("\(bin)/\(name)", "pyenv") } }
        }
        return result
    }

    /// uv's managed Pythons: `uv python dir` when uv is installed, else its documented defaults.
    private func uvFolders() async -> [String] {
        if let uv = findOnPath("uv", environment: environment),
           let output = await HostCommand(uv, ["python", "dir"], environment: environment.mapValues { $0 }).run(), output.succeeded {
            let folder = output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            if !folder.isEmpty { return [folder] }
        }
        if let folder = environment["UV_PYTHON_INSTALL_DIR"] { return [folder] }
        let data = environment["XDG_DATA_HOME"] ?? environment["HOME"].map { "\($0)/.local/share" }
        return data.map { ["\($0)/uv/python"] } ?? []
    }

    /// The file a path names, every symlink followed (`python3` -> `python3.14`).
    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `<folder>/<each install>/bin`.
    private static func installBins(under folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().map { "\(folder)/\($0)/bin" }
    }

    private static func pythonNames(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(isPythonName).sorted()
    }

    /// Runs the interpreter once and describes it.
    private static func describe(_ path: String, foundIn: String) async -> FoundInterpreter {
        var found = FoundInterpreter(path: path, foundIn: foundIn)
        guard let output = await HostCommand(path, ["-I", "-c", script]).run(), output.succeeded,
              let line = output.standardOutput.split(separator: "\n").last,
              let report = try? JSONDecoder().decode(Report.self, from: Data(line.utf8)) else {
            found.note = "did not answer the probe"
            return found
        }
        guard report.implementation == "cpython" else {
            found.note = "\(report.implementation), not CPython"
            return found
        }
        found.version = report.version.map(String.init).joined(separator: ".")
        found.build = report.gilDisabled ? .freethreaded : .gil
        if report.venv {
            found.note = "a venv of \(report.baseExecutable ?? "another interpreter"): its base is the one to pair"
        } else if !report.hasGilCheck {
            found.note = "before 3.13: no free-threaded build to pair"
        }
        return found
    }

    private static let script = """
        import json, sys, sysconfig
        print(json.dumps({
            "version": list(sys.version_info[:3]),
            "implementation": sys.implementation.name,
            "gil_disabled": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
            "has_gil_check": hasattr(sys, "_is_gil_enabled"),
            "venv": sys.prefix != sys.base_prefix,
            "base_executable": getattr(sys, "_base_executable", None),
        }))
        """

    private struct Report: Decodable {
        var version: [Int]
        var implementation: String
        var gilDisabled: Bool
        var hasGilCheck: Bool
        var venv: Bool
        var baseExecutable: String?

        enum CodingKeys: String, CodingKey {
            case version, implementation, venv
            case gilDisabled = "gil_disabled"
            case hasGilCheck = "has_gil_check"
            case baseExecutable = "base_executable"
        }
    }
}

extension InterpreterDiscovery {
    /// `ftlab env`'s section: every interpreter found, then the pairs `--python X.Y` can use.
    public static func summaryText(_ found: [FoundInterpreter]) -> String {
        var lines = ["CPython interpreters found (version and build as each reports them):"]
        if found.isEmpty { lines.append("  none (build the lab pair with `ftlab lab pythons`)") }
        let width = max(6, found.map(\.foundIn.count).max() ?? 0)
        for entry in found {
            let version = (entry.version ?? "?").padding(toLength: 8, withPad: " ", startingAt: 0)
            let build = (entry.build.map { $0 == .freethreaded ? "free-threaded" : "GIL" } ?? "?")
                .padding(toLength: 13, withPad: " ", startingAt: 0)
            lines.append("  \(entry.foundIn.padding(toLength: width, withPad: " ", startingAt: 0))  \(version) \(build) \(entry.path)"
                + (entry.note.map { "  (\($0))" } ?? ""))
        }
        let pairs = Self.pairs(found)
        lines.append("")
        lines.append("Pairs by release (`--python X.Y` takes the lab pair, else the pair found here):")
        if pairs.isEmpty { lines.append("  none: no release has both a GIL and a free-threaded build here") }
        for pair in pairs {
            lines.append("  \(pair.version): \(pair.gil.path) + \(pair.freethreaded.path)")
        }
        return lines.joined(separator: "\n")
    }
}
