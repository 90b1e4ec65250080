import Foundation
import FTLabCore
import FTLabHarness
import FTLabLoadGen

/// One process to run: a configuration and which repetition of it; or, for variants of one
/// `process_group`, several configurations that differ only in their variant, measured one
/// after another in that process.
public struct WorkUnit: Sendable, Equatable {
    /// The first (or only) configuration.
    public var configuration: RunConfiguration
    /// Every configuration the process measures, in order (`[configuration]` for most units).
    public var members: [RunConfiguration]
    /// 1-based repetition index (the CSV's `process` column).
    public var process: Int

    public init(configuration: RunConfiguration, process: Int) {
        self.configuration = configuration
        self.members = [configuration]
        self.process = process
    }

    /// A process that measures `members` (at least one) one after another.
    public init(members: [RunConfiguration], process: Int) {
        self.configuration = members[0]
        self.members = members
        self.process = process
    }

    /// Whether the process measures several variants.
    public var isShared: Bool { members.count > 1 }
}

/// How a process went, judged from its exit, its protocol transcript and the evidence it sent.
public enum ProcessVerdict: Sendable, Equatable {
    case ok
    case failed(String)
    case timeout(String)

    public var message: String {
        switch self {
        case .ok: ""
        case .failed(let m), .timeout(let m): m
        }
    }
}

/// The result of one work unit.
public struct ProcessOutcome: Sendable {
    public var unit: WorkUnit
    public var result: ProcessResult
    public var transcript: HarnessTranscript
    public var verdict: ProcessVerdict
    /// Measured (non-warmup) samples, in order.
    public var measuredSamples: [HarnessSample] { transcript.samples.filter { !$0.warmup } }
    /// The CPUs each worker thread was seen on, in thread order.
    public var observedCPUs: [[Int]] { transcript.bye?.threadCPUs.map { $0.sorted() } ?? [] }
    /// Server workloads: the load generator's view of each measured sample, in order.
    public var load: [LoadSample] = []

    package init(
        unit: WorkUnit,
        result: ProcessResult,
        transcript: HarnessTranscript,
        verdict: ProcessVerdict,
        load: [LoadSample] = []
    ) {
        self.unit = unit
        self.result = result
        self.transcript = transcript
        self.verdict = verdict
        self.load = load
    }
}

/// Runs work units one process at a time and judges each.
public struct WorkUnitRunner: Sendable {
    public var harnessScript: String
    /// The ftlab executable used as the pre-exec launcher (`ftlab _launch`).
    public var launcher: String
    public var repetition: Repetition
    public var timeoutSeconds: Double
    /// Folder for per-process stderr logs.
    public var logDirectory: String
    /// The address space each interpreter process may use; nil: no limit.
    public var memoryLimit: MemoryLimit?

    public init(harnessScript: String, launcher: String, repetition: Repetition, timeoutSeconds: Double, logDirectory: String) {
        self.harnessScript = harnessScript
        self.launcher = launcher
        self.repetition = repetition
        self.timeoutSeconds = timeoutSeconds
        self.logDirectory = logDirectory
    }

    /// Orders the matrix so configurations that are compared with each other (the two builds
    /// at equal threads) run side by side in time: repetition-major, then thread count,
    /// then interpreter, placement and allocator. Drift of the machine then hits both alike.
    /// Variants of one `process_group` share each process: their configurations that differ only
    /// in the variant become one unit per repetition, in plan order.
    public static func schedule(_ configurations: [RunConfiguration], processes: Int) -> [WorkUnit] {
        var units: [WorkUnit] = []
        var byWorkload: [(String, [[RunConfiguration]])] = []
        var sharedAt: [String: (Int, Int)] = [:]
        for c in configurations {
            if let group = c.processGroup {
                let shared = sharedKey(c, group: group)
                if let (i, j) = sharedAt[shared] { byWorkload[i].1[j].append(c); continue }
                let key = "\(c.workload.name)\u{0}\(group)"
                let i = byWorkload.firstIndex { $0.0 == key } ?? { byWorkload.append((key, [])); return byWorkload.count - 1 }()
                byWorkload[i].1.append([c])
                sharedAt[shared] = (i, byWorkload[i].1.count - 1)
                continue
            }
            let key = "\(c.workload.name)/\(c.variant)"
            if let i = byWorkload.firstIndex(where: { $0.0 == key }) { byWorkload[i].1.append([c]) } else { byWorkload.append((key, [[c]])) }
        }
        for (_, group) in byWorkload {
            for process in 1...max(1, processes) {
                for members in group { units.append(WorkUnit(members: members, process: process)) }
            }
        }
        return units
    }

    /// What configurations sharing a process have in common: everything but the variant.
    static func sharedKey(_ c: RunConfiguration, group: String) -> String {
        [c.workload.name, group, c.interpreter.label, c.interpreter.path, String(c.threads), c.placement.policy,
         c.placement.threadCPUs.map(String.init).joined(separator: ","), c.allocator.name, c.envText, c.paramsText,
         String(c.seed)].joined(separator: "\u{0}")
    }

    /// The command line for `unit`: launcher prefix (when placement needs one), `wrapper`
    /// (a tool such as `perf record ... --` that execs the interpreter), interpreter, harness
    /// and its arguments, then `extraArguments`; for `native-swift`, `ftlab _native` with the
    /// same arguments. The wrapper goes after the launcher so that the launcher's own image
    /// never appears to the tool.
    public func command(for unit: WorkUnit, wrapper: [String] = [], extraArguments: [String] = [])
        -> (executable: String, arguments: [String])
    {
        let c = unit.configuration
        let entry = c.interpreter.build == .native ? ["_native"] : ["-X", "faulthandler", harnessScript]
        var harness = entry + [
            // `--option=VALUE` for names and paths: a variant named `-rf` is never read as an option.
            "--workload-dir=\(c.workload.directory)"] + unit.members.map { "--variant=\($0.variant)" } + [
            "--threads", String(c.threads),
            "--samples", String(repetition.samples), "--warmups", String(repetition.warmups),
            "--seed", String(c.seed),
        ]
        if let batch = repetition.batch {
            harness += ["--batch", String(batch)]
        } else {
            harness += ["--target-seconds", String(repetition.targetSeconds)]
        }
        for (key, value) in c.params.sorted(by: { $0.key < $1.key }) { harness += ["--param=\(key)=\(value)"] }
        if !c.placement.threadCPUs.isEmpty {
            harness += ["--cpus", c.placement.threadCPUs.map(String.init).joined(separator: ",")]
        }
        harness += extraArguments
        let program = wrapper + [c.interpreter.build == .native ? c.interpreter.path : c.pythonPath] + harness
        var launch = c.placement.launcherArguments
        if let memoryLimit, !launch.isEmpty {
            launch.insert(contentsOf: ["--memory-limit", String(memoryLimit.bytes)], at: 1)
        }
        if launch.isEmpty {
            return (program[0], Array(program.dropFirst()))
        }
        return (launcher, launch + program)
    }

    /// What to start for `unit`, with its stderr log in the log folder.
    public func spec(for unit: WorkUnit) -> ProcessSpec {
        let (executable, arguments) = command(for: unit)
        var logName = "\(unit.configuration.name)-p\(unit.process)".asFileName
        if logName.utf8.count > 200 {
            // Long params (paths) would pass NAME_MAX: a prefix and a hash of the whole name.
            var hash = SHA256()
            hash.update(Array(logName.utf8))
            logName = String(logName.prefix(180)) + "-" + hash.hexDigest().prefix(12) + "-p\(unit.process)"
        }
        return ProcessSpec(
            executable: executable, arguments: arguments,
            environment: environment(for: unit),
            // --timeout is per variant: a process that measures several gets that much for each.
            timeoutSeconds: timeoutSeconds * Double(unit.members.count),
            stderrLogPath: (logDirectory as NSString).appendingPathComponent(logName + ".log"))
    }

    /// The interpreter's environment: the user's `--env`, the allocator's settings, and every
    /// other `PYTHON*` variable of ftlab's own environment removed so runs are reproducible;
    /// plus the validated manifest for run.py (`FTLAB_MANIFEST_JSON`, which `ftlab _native`
    /// does not need) and a `[script]` workload's script path (`FTLAB_<TOOL>`).
    public func environment(for unit: WorkUnit) -> [String: String?] {
        var env = environment(for: unit.configuration)
        if unit.isShared {
            env[WorkloadManifest.harnessEnvironmentKey] = unit.configuration.workload.manifest.harnessJSON(variants: unit.members.map(\.variant))
        }
        return env
    }

    /// The environment of one configuration's process (see ``environment(for:)-(WorkUnit)``).
    public func environment(for configuration: RunConfiguration) -> [String: String?] {
        var env: [String: String?] = [:]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("PYTHON") || key == "LD_PRELOAD" {
            env[key] = .some(nil)
        }
        for (key, value) in configuration.allocator.environment { env[key] = value }
        // The user's settings win over the allocator's.
        for setting in configuration.env { env[setting.key] = setting.value }
        env[WorkloadManifest.harnessEnvironmentKey] = configuration.workload.manifest.harnessJSON(variant: configuration.variant)
        for (key, value) in configuration.workload.harnessEnvironment { env[key] = value }
        return env
    }

    /// Runs one unit and judges it.
    public func run(_ unit: WorkUnit) async throws(ExecutionError) -> ProcessOutcome {
        if case .failed(let reason) = unit.configuration.packages {
            // Nothing to start: the interpreter's packages could not be installed (recorded as data).
            return ProcessOutcome(unit: unit, result: ProcessResult(ending: .exited(1), protocolOutput: "", stderrTail: "",
                                                                    elapsedSeconds: 0),
                                  transcript: HarnessTranscript.parse("").0, verdict: .failed(reason))
        }
        if unit.configuration.workload.manifest.kind == .server { return try await runServer(unit) }
        let result = try await ProcessRunner.run(spec(for: unit))
        let (transcript, protocolError) = HarnessTranscript.parse(result.protocolOutput)
        let verdict = Self.judge(unit: unit, result: result, transcript: transcript, protocolError: protocolError,
                                 timeoutSeconds: timeoutSeconds)
        return ProcessOutcome(unit: unit, result: result, transcript: transcript, verdict: namingMemory(verdict))
    }

    /// A failure under `--memory-limit` that ran out of address space says so first.
    package func namingMemory(_ verdict: ProcessVerdict) -> ProcessVerdict {
        guard let memoryLimit, case .failed(let message) = verdict else { return verdict }
        return .failed(memoryLimit.explain(message))
    }

    /// Decides whether a process's figures can be published.
    package static func judge(unit: WorkUnit, result: ProcessResult, transcript: HarnessTranscript,
                      protocolError: ProtocolError?, timeoutSeconds: Double) -> ProcessVerdict {
        let tail = result.stderrTail.isEmpty ? "" : "; stderr: \(result.stderrTail)"
        switch result.ending {
        case .timedOut:
            return .timeout("killed after \(Int(timeoutSeconds)) s (--timeout)\(tail)")
        case .interrupted:
            return .failed("interrupted")
        case .signaled(let signal):
            return .failed("killed by signal \(signal)\(tail)")
        case .exited:
            break
        }
        if let protocolError { return .failed("\(protocolError)\(tail)") }
        if let failure = transcript.failure {
            let at = failure.where.isEmpty ? "" : " at \(failure.where)"
            return .failed("\(failure.message)\(at)\(tail)")
        }
        guard transcript.hello != nil else { return .failed("\(describe(result.ending)) before saying hello\(tail)") }
        guard let bye = transcript.bye else { return .failed("\(describe(result.ending)) without a bye\(tail)") }
        if !bye.verified {
            let detail = bye.message.isEmpty ? "" : ": \(bye.message)"
            return .failed("output verification failed (checksum \(bye.checksum), expected \(bye.expected))\(detail)")
        }
        if case .exited(let code) = result.ending, code != 0 {
            return .failed("\(describe(result.ending)) after a verified bye\(tail)")
        }
        let measured = transcript.samples.filter { !$0.warmup }.count
        let expected = unit.configuration.threads
        if let bad = transcript.samples.first(where: { $0.perThreadOps.count != expected }) {
            return .failed("sample \(bad.index) reports \(bad.perThreadOps.count) threads; expected \(expected)")
        }
        if unit.configuration.workload.manifest.kind != .server,
           let bad = transcript.samples.first(where: { $0.ops < 1 || $0.perThreadOps.contains { $0 < 0 } }) {
            return .failed("sample \(bad.index) reports \(bad.ops) ops (per thread: "
                           + "\(bad.perThreadOps.map(String.init).joined(separator: ", "))); expected a positive count")
        }
        if measured == 0 { return .failed("no measured samples") }
        if let problem = placementProblem(plan: unit.configuration.placement, bye: bye) { return .failed(problem) }
        let evidence = AllocatorEvidence.check(unit.configuration.allocator, mappedLibraries: transcript.hello?.mappedLibraries ?? [],
                                               allocatorStats: bye.allocatorStats)
        if !evidence.verified { return .failed(evidence.message) }
        return .ok
    }

    /// A thread seen on a CPU outside its plan makes the figure a lie.
    package static func placementProblem(plan: PlacementChoice, bye: HarnessBye) -> String? {
        guard !plan.threadCPUs.isEmpty else { return nil }
        for (i, seen) in bye.threadCPUs.enumerated() where i < plan.threadCPUs.count {
            let planned = plan.threadCPUs[i]
            if let stray = seen.first(where: { $0 != planned }) {
                return "thread \(i) ran on CPU \(stray) but was planned on CPU \(planned) (pinning did not hold)"
            }
        }
        return nil
    }

    package static func describe(_ ending: ProcessResult.Ending) -> String {
        switch ending {
        case .exited(let code): "exited with code \(code)"
        case .signaled(let signal): "killed by signal \(signal)"
        case .timedOut: "timed out"
        case .interrupted: "interrupted"
        }
    }
}
