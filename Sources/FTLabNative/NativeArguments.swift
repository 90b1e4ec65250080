import Foundation
import FTLabHarness

/// The arguments of `ftlab _native`: the same as run.py's (PROTOCOL.md), so the runner
/// builds one command line for either.
public struct NativeArguments: Sendable {
    public var workloadDirectory: String
    public var variant: String
    public var threads: Int
    public var samples: Int
    public var warmups: Int
    /// A fixed batch; nil: calibrate to `targetSeconds`.
    public var batch: Int?
    public var targetSeconds: Double
    /// `KEY=VALUE` overrides of the manifest's defaults.
    public var params: [String]
    /// One CPU per worker thread, comma-separated; empty: no per-thread pinning.
    public var cpus: String
    public var seed: Int
    /// The Python that generates a workload's input (log-processing's lines), when one is
    /// preferred; nil or not executable: `python3` on PATH.
    public var inputPython: String?

    public init(workloadDirectory: String, variant: String, threads: Int, samples: Int, warmups: Int, batch: Int?,
                targetSeconds: Double, params: [String], cpus: String, seed: Int, inputPython: String? = nil) {
        self.workloadDirectory = workloadDirectory
        self.variant = variant
        self.threads = threads
        self.samples = samples
        self.warmups = warmups
        self.batch = batch
        self.targetSeconds = targetSeconds
        self.params = params
        self.cpus = cpus
        self.seed = seed
        self.inputPython = inputPython
    }

    /// The checked arguments: the CPU list, the workload, its effective parameters. Errors
    /// carry run.py's wording for the same mistakes.
    package func resolve() throws(NativeError) -> (cpus: [Int], workload: Workload, params: [String: String]) {
        if threads < 1 { throw .usage("--threads must be at least 1") }
        if samples < 1 { throw .usage("--samples must be at least 1") }
        if warmups < 0 { throw .usage("--warmups must not be negative") }
        if let batch, batch < 1 { throw .usage("--batch must be at least 1") }
        if !(targetSeconds > 0) { throw .usage("--target-seconds must be positive") }
        let trimmed = cpus.trimmingCharacters(in: .whitespaces)
        let cpuList = trimmed.isEmpty ? [] : trimmed.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard cpuList.allSatisfy({ $0 != nil }) else {
            throw .usage("--cpus must be a comma-separated list of CPU ids, not '\(cpus)'")
        }
        let planned = cpuList.compactMap { $0 }
        if !planned.isEmpty, planned.count != threads || planned.contains(where: { $0 < 0 }) {
            throw .usage("--cpus needs one CPU id (>= 0) per thread: \(threads) expected")
        }
        let workload: Workload
        do {
            workload = try Workload.load(directory: workloadDirectory)
        } catch {
            throw .usage("--workload-dir '\(workloadDirectory)': \(error)")
        }
        let manifest = workload.manifest
        let variants = manifest.variants.map(\.name)
        guard variants.contains(variant) else {
            throw .usage("unknown variant '\(variant)' for \(manifest.name); variants: \(variants.joined(separator: ", "))")
        }
        var effective = Dictionary(uniqueKeysWithValues: manifest.params.map { ($0.name, $0.default) })
        for item in params {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw .usage("--param expects KEY=VALUE, not '\(item)'")
            }
            let key = String(item[..<eq])
            guard effective[key] != nil else {
                let known = manifest.params.map(\.name)
                throw .usage("unknown param '\(key)' for \(manifest.name); params: \(known.isEmpty ? "(none)" : known.joined(separator: ", "))")
            }
            effective[key] = String(item[item.index(after: eq)...])
        }
        return (planned, workload, effective)
    }
}
