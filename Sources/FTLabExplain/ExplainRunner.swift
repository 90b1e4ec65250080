import Foundation
import FTLabCore
import FTLabHarness
import FTLabRunner

/// Runs the probes of `ftlab explain` and assembles the explanation. Per interpreter, one
/// process each: the baseline and the target with per-thread accounting only (clean figures),
/// the target under `perf trace` (futex calls), and the baseline and the target under
/// `perf record` with the interpreter's perf trampoline. Every process is an ordinary,
/// verified harness run; profiling data lives in a temporary folder removed at the end.
public struct ExplainRunner: Sendable {
    public var harnessScript: String
    public var launcher: String
    public var repetition: Repetition
    public var timeoutSeconds: Double
    public var perf: PerfTool
    /// Told what is about to run (one line per process).
    public var progress: @Sendable (String) -> Void

    /// Sampling rate of the profile: odd, so it does not beat with periodic timers.
    package static let profileFrequency = "499"

    public init(harnessScript: String, launcher: String, repetition: Repetition, timeoutSeconds: Double, perf: PerfTool,
                progress: @escaping @Sendable (String) -> Void) {
        self.harnessScript = harnessScript
        self.launcher = launcher
        self.repetition = repetition
        self.timeoutSeconds = timeoutSeconds
        self.perf = perf
        self.progress = progress
    }

    public func explain(_ plan: ExplainPlan) async throws(ExplainError) -> Explanation {
        let work = NSTemporaryDirectory() + "ftlab-explain-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: work, reason: "\(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: work) }
        let session = Session(owner: self, work: work)
        return try await session.run(plan)
    }
}

/// One explain run's state: its temporary folder and runner.
private struct Session {
    package let owner: ExplainRunner
    package let work: String
    package let runner: WorkUnitRunner

    package init(owner: ExplainRunner, work: String) {
        self.owner = owner
        self.work = work
        runner = WorkUnitRunner(harnessScript: owner.harnessScript, launcher: owner.launcher, repetition: owner.repetition,
                             timeoutSeconds: owner.timeoutSeconds, logDirectory: work)
    }

    package func path(_ name: String) -> String { (work as NSString).appendingPathComponent(name) }

    package func run(_ plan: ExplainPlan) async throws(ExplainError) -> Explanation {
        var explained: [ConfigurationExplanation] = []
        for pair in plan.pairs {
            let base = try await measure(pair.baseline)
            let target = try await measure(pair.target)
            let hello = target.outcome.transcript.hello
            explained.append(ConfigurationExplanation(
                interpreter: pair.target.interpreter.label, build: hello?.build ?? pair.target.interpreter.build.rawValue,
                gilEnabled: hello?.gilEnabled ?? true, threads: pair.target.threads, baselineThreads: pair.baseline.threads,
                unit: hello?.unit ?? pair.target.workload.manifest.unit, target: target.accounting, baseline: base.accounting))
        }
        // No -o: perf trace would write its refusal there instead of to stderr.
        let traceNote = await owner.perf.probe(["trace", "-s", "-e", "futex", "--", "true"], what: "trace system calls")
        for (i, pair) in plan.pairs.enumerated() {
            if let traceNote {
                explained[i].lockWaitsNote = traceNote
            } else {
                (explained[i].lockWaits, explained[i].lockWaitsNote) = try await lockWaits(pair.target, index: i)
            }
        }
        let recordNote = await owner.perf.probe(
            ["record", "-q", "-e", "cpu-clock", "--call-graph", "dwarf", "-o", path("probe.data"), "--", "true"],
            what: "record cpu-clock samples")
        for (i, pair) in plan.pairs.enumerated() {
            if let recordNote {
                explained[i].profileNote = recordNote
                continue
            }
            let base = try await profile(pair.baseline, name: "profile-\(i)-base")
            let target = try await profile(pair.target, name: "profile-\(i)-target")
            explained[i].profileNote = target.note ?? base.note
            if let baseProfile = base.profile, let targetProfile = target.profile {
                explained[i].growing = SymbolDiff.growing(from: baseProfile, to: targetProfile)
                explained[i].findings = SymbolDiff.findings(from: baseProfile, to: targetProfile)
                explained[i].targetProfile = targetProfile
            }
        }
        return Explanation(workload: plan.workload, configurations: explained)
    }

    /// A clean run with per-thread accounting; its failure ends the explanation.
    package func measure(_ configuration: RunConfiguration) async throws(ExplainError) -> (outcome: ProcessOutcome, accounting: ThreadAccounting) {
        let outcome = try await execute(configuration, probe: "time accounting")
        guard outcome.verdict == .ok else {
            throw .processFailed(configuration: configuration.name, message: outcome.verdict.message)
        }
        guard let accounting = ThreadAccounting(samples: outcome.transcript.samples) else {
            throw .processFailed(configuration: configuration.name,
                                 message: "the harness sent no thread_stats; is Workloads/_harness/run.py up to date?")
        }
        return (outcome, accounting)
    }

    /// Futex calls per worker thread under `perf trace -s`; a failed run is a note.
    package func lockWaits(_ configuration: RunConfiguration, index: Int) async throws(ExplainError) -> (LockWaits?, String?) {
        guard let perf = owner.perf.path else { return (nil, owner.perf.missing) }
        let file = path("trace-\(index).txt")
        let outcome = try await execute(configuration, probe: "lock waits (perf trace)",
                                        wrapper: [perf, "trace", "-s", "-e", "futex", "-o", file, "--"])
        guard outcome.verdict == .ok else { return (nil, "the perf trace run failed: \(outcome.verdict.message)") }
        let summary = PerfTraceSummary.parse((try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
        let seconds = Double(outcome.transcript.samples.map(\.wallNanoseconds).reduce(0, +)) / 1e9
        return (LockWaits(summary: summary, tids: Self.workerTIDs(outcome), seconds: seconds), nil)
    }

    /// A cpu-clock profile of the worker threads under `perf record`, with the interpreter's
    /// perf trampoline on (`-X perf`, given as PYTHONPERFSUPPORT=1); a failed run is a note.
    package func profile(_ configuration: RunConfiguration, name: String) async throws(ExplainError) -> (profile: SymbolProfile?, note: String?) {
        guard let perf = owner.perf.path else { return (nil, owner.perf.missing) }
        let data = path(name + ".data")
        let outcome = try await execute(
            configuration, probe: "profile (perf record)",
            wrapper: [perf, "record", "-q", "-e", "cpu-clock", "-F", ExplainRunner.profileFrequency, "--call-graph", "dwarf",
                      "-o", data, "--"],
            environment: ["PYTHONPERFSUPPORT": "1"])
        // The trampoline writes its symbol map to /tmp whatever TMPDIR says; it is needed
        // until `perf script` has run.
        let map = outcome.transcript.hello.map { "/tmp/perf-\($0.pid).map" }
        defer { if let map { try? FileManager.default.removeItem(atPath: map) } }
        guard outcome.verdict == .ok else { return (nil, "the perf record run failed: \(outcome.verdict.message)") }
        let trampoline = map.map { FileManager.default.fileExists(atPath: $0) } ?? false
        let script = path(name + ".txt")
        guard let status = await runToFile(perf, ["script", "-i", data, "-F", "tid,ip,sym,dso"], output: script), status == 0 else {
            return (nil, "`perf script` could not read the profile")
        }
        let text = (try? String(contentsOfFile: script, encoding: .utf8)) ?? ""
        let profile = SymbolProfile(samples: PerfScript.parse(text), tids: Set(Self.workerTIDs(outcome)))
        if profile.sampleCount == 0 { return (nil, "the profile holds no samples of the worker threads") }
        let note = trampoline ? nil
            : "\(configuration.interpreter.label) has no perf trampoline (-X perf needs CPython 3.12+ on Linux x86-64/aarch64): native symbols only"
        return (profile, note)
    }

    package static func workerTIDs(_ outcome: ProcessOutcome) -> [Int] {
        outcome.transcript.samples.last(where: { $0.threadStats != nil })?.threadStats?.tids ?? []
    }

    /// Runs one harness process with `--thread-stats`, under `wrapper` when given. The wrapper
    /// goes after the placement launcher, right before the interpreter: the launcher's own
    /// image never appears to perf, whose dwarf unwinding of libc breaks across an exec.
    package func execute(_ configuration: RunConfiguration, probe: String, wrapper: [String] = [],
                 environment extra: [String: String] = [:]) async throws(ExplainError) -> ProcessOutcome {
        owner.progress("\(configuration.name): \(probe)")
        let unit = WorkUnit(configuration: configuration, process: 1)
        let (executable, arguments) = runner.command(for: unit, wrapper: wrapper, extraArguments: ["--thread-stats"])
        var environment = runner.environment(for: configuration)
        for (key, value) in extra { environment[key] = value }
        let spec = ProcessSpec(executable: executable, arguments: arguments, environment: environment,
                               timeoutSeconds: owner.timeoutSeconds, stderrLogPath: path("process.log"))
        let result: ProcessResult
        do {
            result = try await ProcessRunner.run(spec)
        } catch {
            throw .processFailed(configuration: configuration.name, message: error.description)
        }
        if result.ending == .interrupted { throw .interrupted }
        let (transcript, protocolError) = HarnessTranscript.parse(result.protocolOutput)
        let verdict = WorkUnitRunner.judge(unit: unit, result: result, transcript: transcript, protocolError: protocolError,
                                        timeoutSeconds: owner.timeoutSeconds)
        return ProcessOutcome(unit: unit, result: result, transcript: transcript, verdict: verdict)
    }
}
