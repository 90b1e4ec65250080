import Foundation
import FTLabCore
import FTLabInterpreters
import FTLabHarness
import FTLabNative

extension WorkloadCatalog {
    /// The `ftlab list` text: each workload with its unit, question, variants (marking those
    /// with a native-swift implementation) and parameters (a `[script]` workload: the script
    /// found, or why it is unavailable and the command that gets it); then the broken user workloads.
    public func text(cachedVenvs: [CachedVenv] = CachedVenv.all()) -> String {
        var out: [String] = []
        for w in workloads {
            let m = w.manifest
            out.append("\(m.name)  [\(m.unit)/s]\(m.kind == .server ? " [server]" : "")  \(m.description)")
            if !m.question.isEmpty { out.append("  asks: \(m.question)") }
            switch w.script {
            case .found(let script)?:
                out.append("  script: \(script.path)")
                let functions = script.benchmarks.isEmpty ? "" : "; \(script.benchmarks.count) registered functions"
                out.append("    sha256 \(script.sha256); \(script.origin)\(functions)")
            case .missing(let reason)?:
                out.append("  unavailable: \(reason)")
                out.append("  get it with: \(ScriptSource.getCommand)")
            case nil:
                break
            }
            if !m.variants.isEmpty { out.append("  variants:") }
            let width = m.variants.map(\.name.count).max() ?? 0
            for v in m.variants {
                let limit = v.maxThreads.map { " [at most \($0) thread\($0 == 1 ? "" : "s")]" } ?? ""
                let native = NativeImplementations.implements(workload: m.name, variant: v.name) ? " [also \(NativeImplementations.label)]" : ""
                out.append("    \(m.name)/\(v.name)\(String(repeating: " ", count: width - v.name.count))  \(v.question)\(limit)\(native)")
                let requirements = m.requirements(for: v.name)
                if !requirements.isEmpty {
                    out.append("      requirements: \(requirements.joined(separator: " "))")
                    for venv in cachedVenvs.filter({ Requirements.normalized($0.requirements) == Requirements.normalized(requirements) }) {
                        out.append("      venv \(venv.interpreter): packages \(venv.packages) (\(venv.freeze.joined(separator: ", ")))")
                    }
                }
            }
            if !m.params.isEmpty {
                out.append("  parameters (--param NAME=VALUE):")
                for p in m.params { out.append("    \(p.name)=\(p.default)  \(p.description)") }
            }
            out.append("  from: \(w.directory)")
            out.append("")
        }
        if !broken.isEmpty {
            out.append("broken workloads (skipped by `ftlab run`):")
            out += broken.map { "  \($0.name): \($0.problem)" }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// The `ftlab list --format json` document (`ftlab.list/1`): `workloads`, each with its
    /// variants (`native`: whether a native-swift implementation exists), parameters and
    /// script, and `broken`, the user workloads that failed to load.
    public func json() throws -> String {
        struct Variant: Encodable {
            var name, question: String
            var native: Bool
            var maxThreads: Int?
            var requirements: [String]
        }
        struct Entry: Encodable {
            var name, description, question, unit, kind, directory: String
            var variants: [Variant]
            var params: [[String: String]]
            /// `[script]` workloads: the script found (path, sha256, origin), or why none was.
            var script: [String: String]?
            var unavailable: String?
        }
        struct Broken: Encodable { var name, problem: String }
        struct Listing: Encodable {
            var workloads: [Entry]
            var broken: [Broken]
        }
        let entries = workloads.map { w in
            Entry(name: w.name, description: w.manifest.description, question: w.manifest.question,
                  unit: w.manifest.unit, kind: w.manifest.kind.rawValue, directory: w.directory,
                  variants: w.manifest.variants.map {
                      Variant(name: $0.name, question: $0.question,
                              native: NativeImplementations.implements(workload: w.name, variant: $0.name),
                              maxThreads: $0.maxThreads, requirements: w.manifest.requirements(for: $0.name))
                  },
                  params: w.manifest.params.map { ["name": $0.name, "default": $0.default, "description": $0.description] },
                  script: w.script?.located.map { ["path": $0.path, "sha256": $0.sha256, "origin": $0.origin] },
                  unavailable: w.unavailable)
        }
        return try JSONOutput.document("list", Listing(workloads: entries, broken: broken.map { Broken(name: $0.name, problem: $0.problem.description) }))
    }
}

/// A venv an earlier run left in the cache (`<cache>/venvs/<key>/identity.json` and
/// `freeze.txt`), as `ftlab list` shows it beside the variants that use it.
public struct CachedVenv: Sendable, Equatable {
    public var interpreter: String
    public var requirements: [String]
    public var packages: String
    public var freeze: [String]

    /// Every finished venv under `installer`'s cache, by interpreter label.
    public static func all(in installer: PackageInstaller = PackageInstaller()) -> [CachedVenv] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: installer.venvs)) ?? []
        return names.sorted().compactMap { name in
            let folder = "\(installer.venvs)/\(name)"
            guard let set = PackageInstaller.read(folder: folder),
                  let data = FileManager.default.contents(atPath: "\(folder)/identity.json"),
                  let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
            return CachedVenv(interpreter: doc["interpreter"] as? String ?? "?", requirements: doc["requirements"] as? [String] ?? [],
                              packages: set.identity, freeze: set.freeze)
        }.sorted { $0.interpreter < $1.interpreter }
    }
}
