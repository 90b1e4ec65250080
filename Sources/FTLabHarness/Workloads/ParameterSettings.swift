/// Workload parameters given on the command line (`KEY=VALUE` for every selected workload
/// that has KEY, `WORKLOAD.KEY=VALUE` for one), merged over each manifest's defaults. A key
/// given again with another value is swept: the run measures every value, interleaved like
/// any other configuration (`--param impl=io --param impl=_pyio`).
public struct ParameterSettings: Sendable, Equatable {
    package var global: [String: String] = [:]
    package var perWorkload: [String: [String: String]] = [:]
    /// Every distinct value given per key, in order (one entry: no sweep).
    package var globalSweeps: [String: [String]] = [:]
    package var perWorkloadSweeps: [String: [String: [String]]] = [:]
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
                if !(result.perWorkloadSweeps[workload.name]?[name]?.contains(value) ?? false) {
                    result.perWorkloadSweeps[workload.name, default: [:]][name, default: []].append(value)
                }
            } else {
                let owners = selected.values.filter { $0.manifest.params.contains { $0.name == key } }
                guard !owners.isEmpty else {
                    let first = selection.first?.name ?? "(none)"
                    throw .unknownParameter(workload: selection.count == 1 ? first : "selected", name: key,
                                            known: Array(Set(selection.flatMap { $0.manifest.params.map(\.name) })).sorted())
                }
                result.global[key] = value
                if !(result.globalSweeps[key]?.contains(value) ?? false) { result.globalSweeps[key, default: []].append(value) }
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

    /// Every combination of the swept values for `workload`, each merged over the defaults like
    /// `values(for:)`; one combination when nothing is swept. Keys sweep in the manifest's
    /// order, the first slowest.
    public func combinations(for workload: Workload) -> [[String: String]] {
        var combinations = [values(for: workload)]
        for p in workload.manifest.params {
            let swept = perWorkloadSweeps[workload.name]?[p.name] ?? globalSweeps[p.name] ?? []
            guard swept.count > 1 else { continue }
            combinations = combinations.flatMap { base in
                swept.map { value in
                    var values = base
                    values[p.name] = value
                    return values
                }
            }
        }
        return combinations
    }
}
