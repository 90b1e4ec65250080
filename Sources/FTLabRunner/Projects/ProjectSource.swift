import Foundation
import FTLabHarness

/// A Python project whose test suite ftlab measures: where it is, its name, how it installs.
public struct ProjectSource: Sendable, Equatable {
    /// The project folder as given, absolute.
    public var folder: String
    /// The workload name its rows carry: `--name`, else the distribution's.
    public var name: String
    /// The distribution name pip installs it as (`[project] name`, setup.cfg's `name`; for a
    /// folder pip cannot install, the folder's name).
    public var distribution: String
    /// Whether pip can install the folder (pyproject.toml, setup.py or setup.cfg).
    public var installable: Bool
    /// The extras installed with it (`[test]`): the ones asked for, else those named like a test extra.
    public var extras: [String]
    /// Requirements from `[dependency-groups]` test groups and the requirements files given.
    public var testRequirements: [String]

    /// The extras and dependency groups that name test requirements, when none is asked for.
    public static let testExtraNames = ["test", "tests", "testing", "dev"]

    /// Reads `folder`'s metadata. `extras` nil: the project's own test extras and groups.
    public static func read(folder: String, name: String? = nil, extras: [String]? = nil,
                            requirementsFiles: [String] = []) throws(ProjectError) -> ProjectSource {
        let absolute = URL(fileURLWithPath: (folder as NSString).expandingTildeInPath).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(folder)
        }
        let fm = FileManager.default
        let pyprojectPath = "\(absolute)/pyproject.toml"
        var pyproject = PyProject()
        if fm.fileExists(atPath: pyprojectPath) {
            guard let text = try? String(contentsOfFile: pyprojectPath, encoding: .utf8) else {
                throw .badPyproject(path: pyprojectPath, reason: "cannot be read as UTF-8 text")
            }
            do {
                pyproject = try TOMLDocument.decode(PyProject.self, from: text)
            } catch {
                throw .badPyproject(path: error.location(pyprojectPath), reason: error.reason)
            }
        }
        let installable = pyproject.project != nil || pyproject.buildSystem != nil
            || fm.fileExists(atPath: "\(absolute)/setup.py") || fm.fileExists(atPath: "\(absolute)/setup.cfg")
        guard let found = pyproject.project?.name ?? Self.setupCfgName(absolute)
            ?? (installable ? name : (absolute as NSString).lastPathComponent) else { throw .noName(folder: absolute) }

        let known = (pyproject.project?.optionalDependencies ?? [:]).keys.sorted()
        var chosenExtras: [String]
        if let extras {
            for extra in extras where !known.contains(extra) { throw .unknownExtra(name: extra, known: known) }
            chosenExtras = extras
        } else {
            chosenExtras = known.filter { Self.testExtraNames.contains($0) }
        }
        var requirements: [String] = []
        let groups = pyproject.dependencyGroups ?? [:]
        for group in (extras ?? Self.testExtraNames) where groups[group] != nil {
            requirements += Self.expand(group: group, in: groups)
        }
        for path in requirementsFiles {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .badRequirementsFile(path: path, reason: "cannot read it")
            }
            do { requirements += try Requirements.parseFile(text, path: path) } catch {
                throw .badRequirementsFile(path: path, reason: error.description)
            }
        }
        if !installable { chosenExtras = [] }
        return ProjectSource(folder: absolute, name: name ?? found, distribution: found, installable: installable, extras: chosenExtras,
                             testRequirements: requirements)
    }

    /// A dependency group's requirements, its `{include-group = ...}` entries expanded.
    static func expand(group: String, in groups: [String: [PyProject.GroupEntry]], seen: Set<String> = []) -> [String] {
        guard !seen.contains(group), let entries = groups[group] else { return [] }
        return entries.flatMap { entry -> [String] in
            switch entry {
            case .requirement(let text): [text]
            case .include(let other): expand(group: other, in: groups, seen: seen.union([group]))
            }
        }
    }

    /// `name = ...` under `[metadata]` in setup.cfg.
    static func setupCfgName(_ folder: String) -> String? {
        guard let text = try? String(contentsOfFile: "\(folder)/setup.cfg", encoding: .utf8) else { return nil }
        var inMetadata = false
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") { inMetadata = line == "[metadata]"; continue }
            guard inMetadata, line.hasPrefix("name") else { continue }
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == "name" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

/// The parts of pyproject.toml ftlab reads.
struct PyProject: Decodable {
    struct Project: Decodable {
        var name: String?
        var optionalDependencies: [String: [String]]?
        enum CodingKeys: String, CodingKey { case name, optionalDependencies = "optional-dependencies" }
    }
    /// A PEP 735 dependency group entry: a requirement or `{include-group = "other"}`.
    enum GroupEntry: Decodable {
        case requirement(String)
        case include(String)
        init(from decoder: Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self = .requirement(text)
                return
            }
            let table = try decoder.container(keyedBy: Key.self)
            self = .include(try table.decode(String.self, forKey: .includeGroup))
        }
        enum Key: String, CodingKey { case includeGroup = "include-group" }
    }
    struct BuildSystem: Decodable {}

    var project: Project?
    var buildSystem: BuildSystem?
    var dependencyGroups: [String: [GroupEntry]]?
    enum CodingKeys: String, CodingKey {
        case project, buildSystem = "build-system", dependencyGroups = "dependency-groups"
    }
    init() {}
}
