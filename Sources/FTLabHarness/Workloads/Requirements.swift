import Foundation
import FTLabCore

/// A workload's PyPI requirements: PEP 508 strings, as in `workload.toml` or a requirements file.
public enum Requirements {
    /// Why `item` is not a requirement ftlab accepts, or nil. Only the shape is checked here
    /// (a project name first, no pip options); pip judges the rest when it installs.
    public static func problem(_ item: String) -> String? {
        let text = item.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return "an empty requirement; expected a PEP 508 string such as \"flask>=3\"" }
        if text.hasPrefix("-") {
            return "requirement \"\(item)\" is a pip option; expected a PEP 508 string such as \"flask>=3\" (options are not accepted)"
        }
        guard let first = text.unicodeScalars.first, CharacterSet.alphanumerics.contains(first), first.isASCII else {
            return "requirement \"\(item)\" does not start with a project name; expected a PEP 508 string such as \"flask>=3\""
        }
        if text.contains("\n") { return "requirement \"\(item)\" spans lines; expected one PEP 508 string per entry" }
        return nil
    }

    /// The requirements in a requirements file: one per line, `#` comments and blank lines
    /// skipped. A line ftlab does not accept names the file and line.
    public static func parseFile(_ text: String, path: String) throws(WorkloadError) -> [String] {
        var found: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.range(of: " #") ?? (line.hasPrefix("#") ? line.range(of: "#") : nil) {
                line = String(line[..<hash.lowerBound])
            }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if let problem = problem(line) { throw .badManifest(path: "\(path):\(index + 1)", reason: problem) }
            found.append(line)
        }
        return found
    }

    /// Why a requirements file or project folder gives no requirements (callers add which
    /// option or parameter named it).
    public struct SourceProblem: FTLabError, Equatable {
        public var reason: String
        public var description: String { reason }
    }

    /// The requirements a `kind = "requirements"` parameter names: ``fromSource(_:)`` of its
    /// value, a problem naming the parameter.
    public static func fromParameter(_ name: String, value: String) throws(WorkloadError) -> [String] {
        do { return try fromSource(value) } catch {
            throw .badRequirementsParameter(parameter: name, value: value, reason: error.reason)
        }
    }

    /// The requirements `value` names: a requirements file, or a project folder holding
    /// `requirements.txt` (read first) or a `pyproject.toml` with `[project] dependencies`;
    /// empty: none. A relative path is taken from the current directory, as the harness takes
    /// the other paths given in parameters.
    public static func fromSource(_ value: String) throws(SourceProblem) -> [String] {
        guard !value.isEmpty else { return [] }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory) else {
            throw SourceProblem(reason: "no such file or folder")
        }
        var file = value
        if isDirectory.boolValue {
            let listed = (value as NSString).appendingPathComponent("requirements.txt")
            let project = (value as NSString).appendingPathComponent("pyproject.toml")
            if FileManager.default.fileExists(atPath: listed) {
                file = listed
            } else if let text = try? String(contentsOfFile: project, encoding: .utf8) {
                return try dependencies(pyproject: text, path: project)
            } else {
                throw SourceProblem(reason: "the folder holds neither requirements.txt nor pyproject.toml")
            }
        }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw SourceProblem(reason: "\(file) cannot be read as UTF-8 text")
        }
        do {
            return try parseFile(text, path: file)
        } catch .badManifest(let path, let reason) {
            throw SourceProblem(reason: "\(path): \(reason)")
        } catch {
            throw SourceProblem(reason: error.description)
        }
    }

    /// `[project] dependencies` of a pyproject.toml, each checked like a requirement.
    private static func dependencies(pyproject text: String, path: String) throws(SourceProblem) -> [String] {
        struct PyProject: Decodable {
            struct Project: Decodable { var dependencies: [String]? }
            var project: Project?
        }
        let pyproject: PyProject
        do { pyproject = try TOMLDocument.decode(PyProject.self, from: text) } catch {
            throw SourceProblem(reason: error.decoding == nil ? "\(error.location(path)): \(error.reason)"
                                : "\(path): [project] dependencies must be a list of strings")
        }
        guard let list = pyproject.project?.dependencies else {
            throw SourceProblem(reason: "\(path) has no [project] dependencies")
        }
        var found: [String] = []
        for requirement in list {
            if let problem = problem(requirement) { throw SourceProblem(reason: "\(path): \(problem)") }
            found.append(requirement)
        }
        return found
    }

    /// The requirements in a canonical form for the venv's identity: whitespace removed,
    /// sorted, duplicates dropped.
    public static func normalized(_ items: [String]) -> [String] {
        Array(Set(items.map { $0.filter { !$0.isWhitespace } })).sorted()
    }
}
