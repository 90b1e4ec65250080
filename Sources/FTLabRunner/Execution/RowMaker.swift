import Foundation
import FTLabCore
import FTLabLoadGen

/// Turns one judged process into CSV rows: one per measured sample (or one row carrying the
/// failure when the process measured nothing).
public struct RowMaker: Sendable {
    public var identity: RunIdentity

    public init(identity: RunIdentity) {
        self.identity = identity
    }

    /// The configuration columns of `configuration`, before any process has run.
    public func baseRow(for configuration: RunConfiguration) -> ResultRow {
        var row = ResultRow()
        row.runID = identity.runID
        row.startedUTC = identity.startedUTC
        row.host = identity.host
        row.cpuModel = identity.cpuModel
        row.kernel = identity.kernel
        row.numaNodes = identity.numaNodes
        row.cpusOnline = identity.cpusOnline
        row.smt = identity.smt
        row.suiteRev = identity.suiteRev
        row.lab = identity.lab
        row.ftlabVersion = identity.ftlabVersion
        row.cpuGovernor = identity.machine.governor
        row.cpuBoost = identity.machine.boost
        row.aslr = identity.machine.aslr
        row.thp = identity.machine.thp
        row.isolatedCPUs = identity.machine.isolatedCPUs
        row.nohzFullCPUs = identity.machine.nohzFullCPUs
        row.perfEventParanoid = identity.machine.perfEventParanoid
        row.virtualization = identity.machine.virtualization
        row.loadStart = identity.machine.loadAverage
        row.shard = identity.shard
        row.planID = identity.planID
        row.bundle = identity.bundle
        row.workload = configuration.workload.name
        row.variant = configuration.variant
        row.params = configuration.paramsText
        row.interpreter = configuration.interpreter.label
        row.env = configuration.envText
        row.threads = configuration.threads
        row.placement = configuration.placement.policy
        row.cpus = configuration.placement.threadCPUs.map(String.init).joined(separator: " ")
        row.memNodes = configuration.placement.memNodes.map(String.init).joined(separator: " ")
        row.allocator = configuration.allocator.name
        row.allocatorScope = configuration.allocator.scope
        row.unit = configuration.workload.manifest.unit
        row.packages = configuration.packagesIdentity
        if configuration.workload.manifest.kind == .server {
            let client = configuration.placement.clientCPUs
            row.clientCPUs = client.isEmpty ? "unpinned" : client.map(String.init).joined(separator: " ")
        }
        return row
    }

    /// The rows for a finished process.
    public func rows(for outcome: ProcessOutcome) -> [ResultRow] {
        var base = baseRow(for: outcome.unit.configuration)
        base.process = outcome.unit.process
        if let hello = outcome.transcript.hello {
            base.pythonVersion = hello.pythonVersion
            base.build = hello.build
            base.gilEnabled = hello.gilEnabled
            if !hello.unit.isEmpty { base.unit = hello.unit }
        }
        let bye = outcome.transcript.bye
        // Thread order, like `cpus`; a thread seen on several CPUs lists them joined by `+`.
        base.observedCPUs = outcome.observedCPUs
            .map { $0.map(String.init).joined(separator: "+") }.joined(separator: " ")
        base.maxRSSKiB = bye?.maxRSSKiB ?? 0
        base.allocatorVerified = Self.allocatorVerified(outcome)
        base.load1m = MachineState.loadAverage()
        switch outcome.verdict {
        case .ok:
            base.status = .ok
            if let hello = outcome.transcript.hello, hello.build == "freethreaded", hello.gilEnabled,
               !hello.gilEnabledBy.isEmpty {
                base.message = "\(ResultRow.gilReenabledPrefix)\(hello.gilEnabledBy.joined(separator: ", "))"
            }
        case .failed(let message): base.status = .failed; base.message = message
        case .timeout(let message): base.status = .timeout; base.message = message
        }
        if let note = Self.leftBehindNote(outcome.result.leftBehind) {
            base.message = base.message.isEmpty ? note : base.message + "; " + note
        }
        base.message = Self.capped(base.message)
        let samples = outcome.measuredSamples
        if samples.isEmpty {
            var row = base
            row.errors = 1
            return [row]
        }
        return samples.enumerated().map { index, sample in
            var row = base
            row.sample = index + 1
            row.ops = sample.ops
            row.wallSeconds = Double(sample.wallNanoseconds) / 1e9
            row.throughput = row.wallSeconds > 0 ? Double(sample.ops) / row.wallSeconds : 0
            row.cpuUserSeconds = sample.cpuUserSeconds
            row.cpuSysSeconds = sample.cpuSysSeconds
            row.cpuUtil = row.wallSeconds > 0 ? (sample.cpuUserSeconds + sample.cpuSysSeconds) / row.wallSeconds : 0
            row.ctxVoluntary = sample.ctxVoluntary
            row.ctxInvoluntary = sample.ctxInvoluntary
            if index < outcome.load.count { Self.addLoad(outcome.load[index], to: &row) }
            return row
        }
    }

    /// The most bytes of a row's `message`; a longer one keeps its start and its end (where a
    /// stderr tail is) around a marked cut.
    public static let messageLimit = 4096

    /// `message` cut to ``messageLimit`` bytes: its first 3 KiB, a marker naming how much was cut,
    /// its last KiB.
    public static func capped(_ message: String) -> String {
        let bytes = Array(message.utf8)
        guard bytes.count > messageLimit else { return message }
        let head = 3072, tail = 960
        let cut = bytes.count - head - tail
        // Cut on character boundaries: decoding repairs a split UTF-8 sequence at either edge.
        return String(decoding: bytes.prefix(head), as: UTF8.self) + " [... \(cut) bytes cut ...] "
            + String(decoding: bytes.suffix(tail), as: UTF8.self)
    }

    /// What a row says about the processes its process left running (killed since), or nil.
    package static func leftBehindNote(_ members: [ProcessGroup.Member]) -> String? {
        guard !members.isEmpty else { return nil }
        let named = members.prefix(5).map(\.description).joined(separator: ", ")
        let more = members.count > 5 ? " and \(members.count - 5) more" : ""
        let count = members.count == 1 ? "1 process" : "\(members.count) processes"
        return "left \(count) running when it exited (killed by ftlab): \(named)\(more)"
    }

    /// The client's figures for a server sample: latency percentiles, errors (named in
    /// `message` on an ok row) and the client's CPU utilisation.
    package static func addLoad(_ load: LoadSample, to row: inout ResultRow) {
        row.latencyP50us = load.latencyMicroseconds(50)
        row.latencyP99us = load.latencyMicroseconds(99)
        row.latencyP999us = load.latencyMicroseconds(99.9)
        row.errors = load.errors.total
        if row.status == .ok, load.errors.total > 0 { row.message = "errors: \(load.errors.summary)" }
        row.clientCPUUtil = load.clientUtilisation
    }

    /// True when the allocator the configuration asked for is the one the process used.
    package static func allocatorVerified(_ outcome: ProcessOutcome) -> Bool {
        AllocatorEvidence.check(outcome.unit.configuration.allocator,
                                mappedLibraries: outcome.transcript.hello?.mappedLibraries ?? [],
                                allocatorStats: outcome.transcript.bye?.allocatorStats ?? [:]).verified
    }
}
