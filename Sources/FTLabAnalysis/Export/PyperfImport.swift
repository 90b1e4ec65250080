import Foundation
import FTLabCore

/// pyperf and pyperformance JSON (format 1.0: a suite of benchmarks, or one benchmark) read as
/// ftlab rows, so `report` and `compare` take them beside CSVs: `pyperf run -o`, `pyperformance
/// run -o` and `ftlab export` files.
///
/// The mapping is `PyperfExport`'s in reverse: a benchmark is a configuration (`workload`
/// `pyperformance` when the file says it came from pyperformance, else `pyperf`; `variant` the
/// benchmark's name; 1 thread), a run is a process, a value a sample with throughput 1/value
/// (values are seconds per loop) and `ops` the run's loops times inner loops. Warmups and runs
/// without values (calibration) are left out. The interpreter and its build come from the
/// metadata: the lab label or the executable's name, `python_version`'s first word, and
/// `--disable-gil` in `python_config_args` for the free-threaded build. Every file read in one
/// call shares one run id, so a GIL and a free-threaded result pair up as one run.
public enum PyperfImport {
    /// Whether `path` names a pyperf JSON file (by its extension: `.json`).
    public static func handles(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".json")
    }

    /// The rows of the pyperf file at `path`; `runID` names the run they belong to.
    public static func rows(path: String, runID: String = "pyperf") throws(ResultsError) -> [ResultRow] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotRead(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let top = object as? [String: Any] else {
            throw .cannotRead(path: path, reason: "not JSON (expected a pyperf or pyperformance result, format 1.0)")
        }
        guard (top["version"] as? String)?.hasPrefix("1.") == true else {
            throw .cannotRead(path: path, reason: "not a pyperf file: no \"version\": \"1.x\" at its top")
        }
        let suiteMetadata = top["metadata"] as? [String: Any] ?? [:]
        let benchmarks: [[String: Any]]
        if let list = top["benchmarks"] as? [[String: Any]] {
            benchmarks = list
        } else if top["runs"] != nil {
            benchmarks = [top]  // a single benchmark file
        } else {
            throw .cannotRead(path: path, reason: "a pyperf file holds \"benchmarks\" (a suite) or \"runs\" (one benchmark)")
        }
        var rows: [ResultRow] = []
        for benchmark in benchmarks {
            let metadata = suiteMetadata.merging(benchmark["metadata"] as? [String: Any] ?? [:]) { $1 }
            let runs = (benchmark["runs"] as? [[String: Any]]) ?? []
            var process = 0
            for run in runs {
                let values = (run["values"] as? [Any])?.compactMap(number) ?? []
                guard !values.isEmpty else { continue }
                process += 1
                let runMetadata = metadata.merging(run["metadata"] as? [String: Any] ?? [:]) { $1 }
                var base = row(metadata: runMetadata, path: path, runID: runID)
                base.process = process
                let loops = max(1, number(runMetadata["loops"]).map { Int($0) } ?? 1)
                let inner = max(1, number(runMetadata["inner_loops"]).map { Int($0) } ?? 1)
                for (index, value) in values.enumerated() where value > 0 {
                    var sample = base
                    sample.sample = index + 1
                    sample.ops = loops * inner
                    sample.wallSeconds = value * Double(loops * inner)
                    sample.throughput = 1 / value
                    rows.append(sample)
                }
            }
        }
        guard !rows.isEmpty else { throw .cannotRead(path: path, reason: "the pyperf file holds no measured values") }
        return rows
    }

    /// A row's identity and configuration from the merged metadata of one run.
    private static func row(metadata: [String: Any], path: String, runID: String) -> ResultRow {
        func text(_ key: String) -> String? {
            (metadata[key] as? String) ?? number(metadata[key]).map { String(Int($0)) }
        }
        var row = ResultRow()
        row.runID = text("ftlab_run_id") ?? runID  // an `ftlab export` file keeps its run
        row.startedUTC = text("date") ?? ""
        row.host = text("hostname") ?? ""
        row.cpuModel = text("cpu_model_name") ?? ""
        row.kernel = text("platform") ?? ""
        row.cpusOnline = number(metadata["cpu_count"]).map { Int($0) } ?? 0
        row.numaNodes = 1
        row.suiteRev = text("performance_version").map { "pyperformance \($0)" } ?? text("ftlab_suite_rev") ?? ""
        row.workload = metadata["performance_version"] != nil ? "pyperformance" : "pyperf"
        row.variant = text("name") ?? "benchmark"
        row.pythonVersion = text("python_version").flatMap { $0.split(separator: " ").first.map(String.init) } ?? ""
        let configArgs = text("python_config_args") ?? ""
        row.build = text("ftlab_build") ?? (configArgs.contains("--disable-gil") ? "freethreaded" : "gil")
        row.interpreter = text("ftlab_interpreter") ?? interpreterLabel(text("python_executable"), path: path)
        row.threads = 1
        row.placement = "none"
        row.allocator = "system"
        row.allocatorScope = "none"
        row.unit = "loops"
        row.status = .ok
        return row
    }

    /// The lab label when the executable lies in a lab prefix (`.../cpython-3.14.8t/bin/...`),
    /// else the executable's file name, else the file's name.
    private static func interpreterLabel(_ executable: String?, path: String) -> String {
        guard let executable else { return ((path as NSString).lastPathComponent as NSString).deletingPathExtension }
        let parts = executable.split(separator: "/")
        if parts.count >= 3, parts[parts.count - 2] == "bin", parts[parts.count - 3].hasPrefix("cpython-") {
            return String(parts[parts.count - 3])
        }
        return String(parts.last ?? Substring(executable))
    }

    private static func number(_ value: Any?) -> Double? {
        if let double = value as? Double { return double }
        if let int = value as? Int { return Double(int) }
        if let number = value as? NSNumber { return number.doubleValue }
        return nil
    }
}
