import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore
import FTLabHarness

/// A virtual environment holding a workload's PyPI packages for one interpreter: the python
/// the harness runs from, and what `pip freeze` says is installed in it.
public struct PackageSet: Sendable, Equatable {
    /// The environment's root (`<cache>/venvs/<key>/venv`, or the user's own venv).
    public var root: String
    /// The environment's python (the harness runs from it).
    public var python: String
    /// `pip freeze`, one `name==version` per line, sorted.
    public var freeze: [String]
    /// Where the freeze is kept beside the venv (empty for the user's own venv).
    public var freezePath: String
    /// True when an earlier run had created it (nothing was installed this time).
    public var reused: Bool
    /// True for the user's own venv given with `--python` (ftlab installs nothing into it).
    public var usersOwn = false

    /// The short hash of the freeze: the `packages` CSV column.
    public var identity: String { Self.identity(of: freeze) }

    /// The first 12 hex digits of the SHA-256 of the freeze lines joined by newlines.
    public static func identity(of freeze: [String]) -> String {
        var hash = SHA256()
        hash.update(Array(freeze.joined(separator: "\n").utf8))
        return String(hash.hexDigest().prefix(12))
    }

    /// One line for the run header: `cpython-3.13.5t: packages 3f2a... (16: Flask==3.1.3, ...)`.
    public func summary(label: String) -> String {
        let how = usersOwn ? "your venv \(root)" : reused ? "reused \(root)" : "installed into \(root)"
        return "\(label): packages \(identity) (\(freeze.count): \(freeze.joined(separator: ", "))); \(how)"
    }
}

/// Whether a configuration runs from a venv, and which.
public enum PackageState: Sendable, Equatable {
    /// No requirements and not a venv: the interpreter itself.
    case none
    case ready(PackageSet)
    /// pip could not install the requirements for this interpreter: the reason with pip's last lines.
    case failed(String)
}

/// Why a venv could not be made.
public enum PackageError: FTLabError, Equatable {
    case venvFailed(interpreter: String, output: String)
    case installFailed(interpreter: String, requirements: [String], tail: String, log: String)
    case freezeFailed(interpreter: String, output: String)

    public var description: String {
        switch self {
        case let .venvFailed(interpreter, output):
            "\(interpreter): `python -m venv` failed (the interpreter needs its ensurepip module): \(output)"
        case let .installFailed(interpreter, requirements, tail, log):
            "\(interpreter): pip could not install " + Self.culprit(requirements: requirements, tail: tail, log: log)
                + "; pip's last lines: \(tail) (full log: \(log))"
        case let .freezeFailed(interpreter, output): "\(interpreter): `pip freeze` failed: \(output)"
        }
    }
}

extension PackageError {
    /// The package pip failed on and why, from its log (`Failed to build 'cffi' ...`, the last
    /// line of the failing build's output), with the requirements that pulled it in; the
    /// requirements alone when the log names no package.
    static func culprit(requirements: [String], tail: String, log: String) -> String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? tail
        let asked = requirements.joined(separator: " ")
        guard let package = PipLog.failedPackage(text) else { return asked }
        let reason = PipLog.buildOutputEnd(text).map { ": \($0)" } ?? ""
        return "\(package)\(reason) (needed by \(asked))"
    }
}

/// What pip's install log says about a failure.
enum PipLog {
    /// The package pip failed on, if its log says: the one it names (`Failed to build 'cffi'`,
    /// recent pip), else the last one it was collecting when a build step ended in error (older
    /// pip names none, and nests the failing dependency's output in its parent's: brotlicffi's
    /// build dependencies failing on cffi).
    static func failedPackage(_ log: String) -> String? {
        let named = [
            #"Failed to build '([^']+)'"#,
            #"Failed to build installable wheels for some pyproject\.toml based projects \(([^)]+)\)"#,
            #"Failed building wheel for ([A-Za-z0-9._-]+)"#,
            #"Failed to build ([A-Za-z0-9._-]+)"#,
        ]
        if let found = lastMatch(of: named, in: log) { return found }
        let lines = log.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let failed = lines.lastIndex(where: { $0.hasSuffix("finished with status 'error'") }),
           let collecting = lines[..<failed].last(where: { $0.hasPrefix("Collecting ") }) {
            return collecting.dropFirst("Collecting ".count).split(separator: " ").first.map(String.init)
        }
        return lastMatch(of: [#"No matching distribution found for ([^\s]+)"#], in: log)
    }

    /// The first group of the last match of the first pattern that matches.
    private static func lastMatch(of patterns: [String], in log: String) -> String? {
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(log.startIndex..., in: log)
            if let match = regex.matches(in: log, range: range).last, let found = Range(match.range(at: 1), in: log) {
                return String(log[found])
            }
        }
        return nil
    }

    /// The last line of the failing build step's own output: pip frames a step's output with
    /// `╰─> [N lines of output]` ... `[end of output]`, a nested step's inside its parent's, so
    /// the first frame to end is the innermost. Usually the package's own reason, e.g. cffi's
    /// "CFFI does not support the free-threaded build of CPython 3.13".
    static func buildOutputEnd(_ log: String) -> String? {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let end = lines.firstIndex(of: "[end of output]") else { return nil }
        let line = lines[..<end].last { !$0.isEmpty }
        return line.map { String($0.prefix(300)) }
    }
}

/// Makes and reuses venvs under the ftlab cache: one per (interpreter, its `sys.version` and
/// build, normalized requirements) at `<cache>/venvs/<key>/`, with `requirements.txt`,
/// `install.log` and `freeze.txt` beside `venv/`. pip's download cache is `<cache>/pip`, so a
/// warm machine installs without the network. `freeze.txt` is written last: a folder without
/// it is an install that was cut off, and is made again.
public struct PackageInstaller: Sendable {
    public var cache: CacheDirectory

    public init(cache: CacheDirectory = CacheDirectory()) {
        self.cache = cache
    }

    package var venvs: String { "\(cache.root)/venvs" }
    package var pipCache: String { "\(cache.root)/pip" }

    /// The venv root of `python` when it runs inside one (a `pyvenv.cfg` one level above its
    /// `bin/`), else nil.
    public static func enclosingVenv(of python: String) -> String? {
        let root = ((python as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return FileManager.default.fileExists(atPath: "\(root)/pyvenv.cfg") ? root : nil
    }

    /// The venv for `interpreter` with `requirements`: reused when an earlier run made it,
    /// else created with `python -m venv` and `pip install --prefer-binary`.
    public func prepare(_ interpreter: InterpreterChoice, requirements: [String]) async throws(PackageError) -> PackageSet {
        let version = await HostCommand(interpreter.path, ["-c", "import sys; print(sys.version)"],
                                        environment: Self.cleanEnvironment).run()
        guard let version, version.succeeded else {
            throw .venvFailed(interpreter: interpreter.label, output: version?.standardError.lastLines(5) ?? "cannot start \(interpreter.path)")
        }
        let real = URL(fileURLWithPath: interpreter.path).resolvingSymlinksInPath().path
        let normalized = Requirements.normalized(requirements)
        var hash = SHA256()
        hash.update(Array((["ftlab-venv-1", real, version.standardOutput, interpreter.build.rawValue] + normalized)
            .joined(separator: "\n").utf8))
        let folder = "\(venvs)/\(hash.hexDigest().prefix(16))"
        try? FileManager.default.createDirectory(atPath: venvs, withIntermediateDirectories: true)
        return try await withFileLock("\(folder).lock") { () throws(PackageError) -> PackageSet in
            if let existing = Self.read(folder: folder) { return existing }
            return try await create(folder, interpreter: interpreter, requirements: requirements, real: real)
        }
    }

    /// A finished venv folder, or nil when there is none (or only a cut-off one).
    package static func read(folder: String) -> PackageSet? {
        let python = "\(folder)/venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python),
              let text = try? String(contentsOfFile: "\(folder)/freeze.txt", encoding: .utf8) else { return nil }
        return PackageSet(root: "\(folder)/venv", python: python, freeze: Self.lines(text),
                          freezePath: "\(folder)/freeze.txt", reused: true)
    }

    private func create(_ folder: String, interpreter: InterpreterChoice, requirements: [String],
                        real: String) async throws(PackageError) -> PackageSet {
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let venv = "\(folder)/venv"
        let made = await HostCommand(interpreter.path, ["-m", "venv", venv], environment: Self.cleanEnvironment,
                                     error: .withOutput).run()
        guard let made, made.succeeded else {
            try? FileManager.default.removeItem(atPath: folder)
            throw .venvFailed(interpreter: interpreter.label, output: made?.standardOutput.lastLines(5) ?? "cannot start \(interpreter.path)")
        }
        let python = "\(venv)/bin/python"
        let list = "\(folder)/requirements.txt"
        FileManager.default.createFile(atPath: list, contents: Data((requirements.joined(separator: "\n") + "\n").utf8))
        let log = "\(folder)/install.log"
        let install = await HostCommand(python, [
            "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--prefer-binary",
            "--cache-dir", pipCache, "-r", list,
        ], environment: Self.cleanEnvironment, output: .file(log), error: .withOutput).run()
        guard let install, install.succeeded else {
            // The log outlives the folder (the next run tries again): `<key>.failed.log`.
            let kept = "\(folder).failed.log"
            try? FileManager.default.removeItem(atPath: kept)
            try? FileManager.default.moveItem(atPath: log, toPath: kept)
            try? FileManager.default.removeItem(atPath: folder)
            let text = (try? String(contentsOfFile: kept, encoding: .utf8)) ?? ""
            throw .installFailed(interpreter: interpreter.label, requirements: requirements, tail: text.lastLines(8), log: kept)
        }
        let freeze = try await Self.freeze(python, label: interpreter.label)
        let identity: [String: Any] = [
            "interpreter": interpreter.label, "interpreter_path": real, "build": interpreter.build.rawValue,
            "requirements": requirements, "packages": PackageSet.identity(of: freeze),
        ]
        if let data = try? JSONSerialization.data(withJSONObject: identity, options: [.sortedKeys, .prettyPrinted]) {
            FileManager.default.createFile(atPath: "\(folder)/identity.json", contents: data)
        }
        // Written last: its presence marks the venv finished.
        FileManager.default.createFile(atPath: "\(folder)/freeze.txt", contents: Data((freeze.joined(separator: "\n") + "\n").utf8))
        return PackageSet(root: venv, python: python, freeze: freeze, freezePath: "\(folder)/freeze.txt", reused: false)
    }

    /// The user's own venv (`--python /path/to/venv/bin/python`): nothing is installed, its
    /// freeze identifies the rows. pip when the venv has it, else `importlib.metadata`.
    public static func usersVenv(_ interpreter: InterpreterChoice) async -> PackageSet? {
        guard let root = enclosingVenv(of: interpreter.path) else { return nil }
        let freeze = (try? await freeze(interpreter.path, label: interpreter.label)) ?? []
        return PackageSet(root: root, python: interpreter.path, freeze: freeze, freezePath: "", reused: true, usersOwn: true)
    }

    static func freeze(_ python: String, label: String) async throws(PackageError) -> [String] {
        let pip = await HostCommand(python, ["-m", "pip", "freeze", "--disable-pip-version-check"],
                                    environment: cleanEnvironment).run()
        if let pip, pip.succeeded { return lines(pip.standardOutput) }
        let script = "import importlib.metadata as m\nfor d in m.distributions():\n    print(f\"{d.metadata['Name']}=={d.version}\")"
        let metadata = await HostCommand(python, ["-c", script], environment: cleanEnvironment).run()
        guard let metadata, metadata.succeeded else {
            throw .freezeFailed(interpreter: label, output: (metadata?.standardError ?? pip?.standardError ?? "").lastLines(5))
        }
        return lines(metadata.standardOutput).filter { !$0.lowercased().hasPrefix("pip==") }
    }

    /// Non-empty lines, sorted case-insensitively (pip's own order).
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .sorted { $0.lowercased() < $1.lowercased() }
    }

    /// ftlab's `PYTHON*` variables (PYTHONPATH, PYTHONHOME...) would leak into pip and venv.
    package static var cleanEnvironment: [String: String?] {
        var env: [String: String?] = [:]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("PYTHON") { env[key] = .some(nil) }
        return env
    }

    /// Runs `body` holding an exclusive `flock` on `path`: two runs never install into one venv.
    private func withFileLock<T>(_ path: String, _ body: () async throws(PackageError) -> T) async throws(PackageError) -> T {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        defer { if fd >= 0 { close(fd) } }
        if fd >= 0 { _ = flock(fd, LOCK_EX) }
        return try await body()
    }
}

extension String {
    /// The last `count` non-empty lines joined by " | " (pip's and venv's errors, for one CSV field).
    package func lastLines(_ count: Int) -> String {
        split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .suffix(count).joined(separator: " | ")
    }
}
