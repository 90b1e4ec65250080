import FTLabCore
/// Workload parameters given on the command line (`KEY=VALUE` for every selected workload
/// that has KEY, `WORKLOAD.KEY=VALUE` for one), merged over each manifest's defaults.
public struct ParameterSettings: Sendable, Equatable {
    package var global: [String: String] = [:]
    package var perWorkload: [String: [String: String]] = [:]
    package var manifests: [String: WorkloadManifest] = [:]

    /// Parses and validates settings against the workloads they apply to.
    public static func parse(_ settings: [String], catalog: WorkloadCatalog, selection: [Workload]) throws(WorkloadError) -> ParameterSettings {
        var result = ParameterSettings()
        for w in catalog.workloads { result.manifests[w.name] = w.manifest }
        let selected = Dictionary(selection.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for text in settings {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw .badParameter(text) }
            let key = String(text[..<eq])
            let value = String(text[text.index(after: eq)...])
            guard !value.contains(";") else { throw .separatorInParameter(text) }
            if let dot = key.firstIndex(of: "."), let workload = catalog.workloads.first(where: { $0.name == String(key[..<dot]) }) {
                let name = String(key[key.index(after: dot)...])
                let known = workload.manifest.params.map(\.name)
                guard known.contains(name) else {
                    throw .unknownParameter(workload: workload.name, name: name, known: known)
                }
                result.perWorkload[workload.name, default: [:]][name] = value
            } else {
                let owners = selected.values.filter { $0.manifest.params.contains { $0.name == key } }
                guard !owners.isEmpty else {
                    let first = selection.first?.name ?? "(none)"
                    throw .unknownParameter(workload: selection.count == 1 ? first : "selected", name: key,
                                            known: Array(Set(selection.flatMap { $0.manifest.params.map(\.name) })).sorted())
                }
                result.global[key] = value
            }
        }
        return result
    }

    /// The effective parameters for `workload`: defaults, then global settings, then its own.
    public func values(for workload: Workload) -> [String: String] {
        var values: [String: String] = [:]
        for p in workload.manifest.params { values[p.name] = p.default }
        for (k, v) in global where values[k] != nil { values[k] = v }
        for (k, v) in perWorkload[workload.name] ?? [:] { values[k] = v }
        return values
    }
}
