import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The identity columns shared by every row of one run: which run, which machine, which suite.
public struct RunIdentity: Sendable, Equatable {
    public var runID: String
    public var startedUTC: String
    public var host: String
    public var cpuModel: String
    public var kernel: String
    public var numaNodes: Int
    public var cpusOnline: Int
    public var smt: Bool
    public var suiteRev: String

    public init(runID: String, startedUTC: String, host: String, cpuModel: String, kernel: String,
                numaNodes: Int, cpusOnline: Int, smt: Bool, suiteRev: String) {
        self.runID = runID
        self.startedUTC = startedUTC
        self.host = host
        self.cpuModel = cpuModel
        self.kernel = kernel
        self.numaNodes = numaNodes
        self.cpusOnline = cpusOnline
        self.smt = smt
        self.suiteRev = suiteRev
    }

    /// A new run id: UTC start time plus a random suffix, e.g. `20261127T031500Z-3f9a`.
    public static func newRunID(at date: Date = Date()) -> (id: String, startedUTC: String) {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        let started = iso.string(from: date)
        let compact = started.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return ("\(compact)-\(suffix)", started)
    }

    /// The kernel release (`uname -r`).
    public static func kernelRelease() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// The host name.
    public static func hostName() -> String {
        ProcessInfo.processInfo.hostName
    }
}

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
        base.observedCPUs = outcome.observedCPUs.map(String.init).joined(separator: " ")
        base.maxRSSKiB = bye?.maxRSSKiB ?? 0
        base.allocatorVerified = Self.allocatorVerified(outcome)
        switch outcome.verdict {
        case .ok: base.status = .ok
        case .failed(let message): base.status = .failed; base.message = message
        case .timeout(let message): base.status = .timeout; base.message = message
        }
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
            return row
        }
    }

    /// True when the allocator the configuration asked for is the one the process used.
    static func allocatorVerified(_ outcome: ProcessOutcome) -> Bool {
        guard let library = outcome.unit.configuration.allocator.expectedLibrary else { return true }
        return outcome.transcript.hello?.mappedLibraries.contains(where: { $0.hasSuffix(library) || $0 == library }) ?? false
    }
}

extension RunIdentity {
    /// `git describe`-like revision of the folder holding the corpus (`unknown` outside git).
    public static func suiteRevision(of directory: String) -> String {
        func git(_ args: [String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", directory] + args
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let rev = git(["rev-parse", "--short=12", "HEAD"]) else { return "unknown" }
        let dirty = !(git(["status", "--porcelain", "--untracked-files=no", "--", "."]) ?? "").isEmpty
        return dirty ? rev + "-dirty" : rev
    }
}
