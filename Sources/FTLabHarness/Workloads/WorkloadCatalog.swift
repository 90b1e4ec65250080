import Foundation
import FTLabCore

/// Every workload ftlab can run: the built-in corpus plus the user's `--workloads-dir` folders.
public struct WorkloadCatalog: Sendable {
    public var workloads: [Workload]
    /// The repository's `Workloads/` folder (holds `_harness/`).
    public var builtinDirectory: String
    /// User workloads that could not be loaded: reported and skipped, never fatal to the rest.
    public var broken: [BrokenWorkload] = []

    /// The harness entry point the runner starts in every interpreter process.
    public var harnessScript: String {
        (builtinDirectory as NSString).appendingPathComponent("_harness/run.py")
    }

    /// Loads the built-in corpus and each extra directory. An extra directory may be one
    /// workload (holding `workload.toml`) or a folder of workloads.
    /// `locator` finds the scripts of `[script]` workloads (ftscalingbench).
    public static func load(builtin: String? = nil, extra: [String] = [],
                            locator: ToolScriptLocator = ToolScriptLocator()) throws(WorkloadError) -> WorkloadCatalog {
        let builtinDirectory = builtin ?? locateBuiltinDirectory()
        var workloads: [Workload] = []
        var origin: [String: String] = [:]
        func add(_ workload: Workload) throws(WorkloadError) {
            if let first = origin[workload.name] {
                throw .duplicateWorkload(name: workload.name, first: first, second: workload.directory)
            }
            origin[workload.name] = workload.directory
            workloads.append(workload)
        }
        for directory in try workloadDirectories(in: builtinDirectory, required: true) {
            try add(try Workload.load(directory: directory, locator: locator))
        }
        var broken: [BrokenWorkload] = []
        for path in extra {
            let absolute = (path as NSString).standardizingPath
            let manifest = (absolute as NSString).appendingPathComponent("workload.toml")
            let found = FileManager.default.fileExists(atPath: manifest)
                ? [absolute] : try workloadDirectories(in: absolute, required: true)
            for directory in found {
                do {
                    try add(try Workload.load(directory: directory, locator: locator))
                } catch .badManifest(let path, let reason) {
                    broken.append(BrokenWorkload(directory: directory, problem: .badManifest(path: path, reason: reason)))
                }
            }
        }
        return WorkloadCatalog(workloads: workloads, builtinDirectory: builtinDirectory, broken: broken)
    }

    /// Sub-folders of `root` holding a `workload.toml` (folders starting with `_` are skipped).
    package static func workloadDirectories(in root: String, required: Bool) throws(WorkloadError) -> [String] {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: root) else {
            throw .noWorkloadsDirectory(root)
        }
        let found = entries.sorted().filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }
            .map { (root as NSString).appendingPathComponent($0) }
            .filter { fm.fileExists(atPath: ($0 as NSString).appendingPathComponent("workload.toml")) }
        if found.isEmpty, required { throw .noWorkloadsDirectory(root) }
        return found
    }

    /// Finds `Workloads/`: `$FTLAB_WORKLOADS`, else in the data folder of an installed ftlab
    /// (`<prefix>/share/ftlab` beside `<prefix>/bin/ftlab`, where the wheel puts it), else
    /// upwards from the executable, else upwards from the current directory.
    public static func locateBuiltinDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String = executablePath(),
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> String {
        if let env = environment["FTLAB_WORKLOADS"], !env.isEmpty { return env }
        let starts = [
            CheckoutFile.installedData(executable: executable),
            (executable as NSString).deletingLastPathComponent,
            currentDirectory,
        ].filter { !$0.isEmpty }
        for start in starts {
            var dir = start
            while !dir.isEmpty {
                let candidate = (dir as NSString).appendingPathComponent("Workloads")
                if FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("_harness/run.py")) {
                    return candidate
                }
                let parent = (dir as NSString).deletingLastPathComponent
                if parent == dir { break }
                dir = parent
            }
        }
        return (currentDirectory as NSString).appendingPathComponent("Workloads")
    }

    /// The workload named `name`, or an error: the broken workload's problem when a broken
    /// user workload's folder has that name, else one listing the known workloads.
    public func workload(named name: String) throws(WorkloadError) -> Workload {
        guard let found = workloads.first(where: { $0.name == name }) else {
            if let problem = broken.first(where: { $0.name == name })?.problem { throw problem }
            throw .unknownWorkload(name, known: workloads.map(\.name))
        }
        return found
    }

    /// Resolves selectors (`workload` or `workload/variant`; none means everything) to
    /// (workload, variant) pairs in catalog order, without duplicates. Naming an unavailable
    /// workload (its script is missing) is an error; everything leaves it out.
    public func select(_ selectors: [String]) throws(WorkloadError) -> [(workload: Workload, variant: String)] {
        if selectors.isEmpty {
            // "Left out" means no process of it runs: a workload whose script is missing is
            // dropped here (the plan warns), whatever variants its manifest lists.
            return workloads.filter { $0.unavailable == nil }.flatMap { w in w.manifest.variants.map { (w, $0.name) } }
        }
        var chosen: [(workload: Workload, variant: String)] = []
        var seen = Set<String>()
        for selector in selectors {
            let parts = selector.split(separator: "/", maxSplits: 1).map(String.init)
            guard let name = parts.first, !name.isEmpty else { throw .unknownWorkload(selector, known: workloads.map(\.name)) }
            let workload = try workload(named: name)
            if let reason = workload.unavailable { throw .unavailable(workload: name, reason: reason) }
            let variants: [String]
            if parts.count == 2 {
                let known = workload.manifest.variants.map(\.name)
                guard known.contains(parts[1]) else {
                    throw .unknownVariant(workload: name, variant: parts[1], known: known)
                }
                variants = [parts[1]]
            } else {
                variants = workload.manifest.variants.map(\.name)
            }
            for variant in variants where seen.insert("\(name)/\(variant)").inserted {
                chosen.append((workload, variant))
            }
        }
        return chosen
    }
}

/// A user workload that could not be loaded, and why.
public struct BrokenWorkload: Sendable, Equatable {
    public var directory: String
    public var problem: WorkloadError
    /// Its folder's name: what a selector would call it.
    public var name: String { (directory as NSString).lastPathComponent }
}
