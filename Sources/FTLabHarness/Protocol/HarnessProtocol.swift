import Foundation
import FTLabCore

/// The first message of a harness process: who is running and how.
public struct HarnessHello: Sendable, Equatable, Codable {
    public var protocolVersion: Int
    public var pid: Int
    public var implementation: String
    public var pythonVersion: String
    public var build: String
    public var gilEnabled: Bool
    public var executable: String
    public var workload: String
    public var variant: String
    public var threads: Int
    public var unit: String
    public var params: [String: String]
    public var mappedLibraries: [String]
    public var pythonMalloc: String
    public var ldPreload: String
    /// The modules whose import re-enabled the GIL on a free-threaded build (optional field;
    /// empty when none did or the harness predates it).
    public var gilEnabledBy: [String] = []

    package enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol", pid, implementation, pythonVersion = "python_version", build
        case gilEnabled = "gil_enabled", executable, workload, variant, threads, unit, params
        case mappedLibraries = "mapped_libraries", pythonMalloc = "pythonmalloc", ldPreload = "ld_preload"
        case gilEnabledBy = "gil_enabled_by"
    }

    /// Every field, for the messages other modules build (`ftlab _native` speaks the protocol too).
    package init(protocolVersion: Int, pid: Int, implementation: String, pythonVersion: String, build: String,
                 gilEnabled: Bool, executable: String, workload: String, variant: String, threads: Int,
                 unit: String, params: [String: String], mappedLibraries: [String], pythonMalloc: String,
                 ldPreload: String, gilEnabledBy: [String] = []) {
        self.protocolVersion = protocolVersion
        self.pid = pid
        self.implementation = implementation
        self.pythonVersion = pythonVersion
        self.build = build
        self.gilEnabled = gilEnabled
        self.executable = executable
        self.workload = workload
        self.variant = variant
        self.threads = threads
        self.unit = unit
        self.params = params
        self.mappedLibraries = mappedLibraries
        self.pythonMalloc = pythonMalloc
        self.ldPreload = ldPreload
        self.gilEnabledBy = gilEnabledBy
    }
}

extension HarnessHello {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        protocolVersion = try c.decode(Int.self, forKey: .protocolVersion)
        pid = try c.decode(Int.self, forKey: .pid)
        implementation = try c.decode(String.self, forKey: .implementation)
        pythonVersion = try c.decode(String.self, forKey: .pythonVersion)
        build = try c.decode(String.self, forKey: .build)
        gilEnabled = try c.decode(Bool.self, forKey: .gilEnabled)
        executable = try c.decode(String.self, forKey: .executable)
        workload = try c.decode(String.self, forKey: .workload)
        variant = try c.decode(String.self, forKey: .variant)
        threads = try c.decode(Int.self, forKey: .threads)
        unit = try c.decode(String.self, forKey: .unit)
        params = try c.decode([String: String].self, forKey: .params)
        mappedLibraries = try c.decode([String].self, forKey: .mappedLibraries)
        pythonMalloc = try c.decode(String.self, forKey: .pythonMalloc)
        ldPreload = try c.decode(String.self, forKey: .ldPreload)
        gilEnabledBy = try c.decodeIfPresent([String].self, forKey: .gilEnabledBy) ?? []
    }
}

/// One timed batch of work on every worker thread.
public struct HarnessSample: Sendable, Equatable, Codable {
    public var index: Int
    public var warmup: Bool
    public var batch: Int
    public var ops: Int
    public var wallNanoseconds: Int
    public var perThreadOps: [Int]
    public var cpuUserSeconds: Double
    public var cpuSysSeconds: Double
    public var ctxVoluntary: Int
    public var ctxInvoluntary: Int
    /// Per-thread time accounting, present when the harness ran with `--thread-stats`.
    public var threadStats: HarnessThreadStats?

    package enum CodingKeys: String, CodingKey {
        case index, warmup, batch, ops, wallNanoseconds = "wall_ns", perThreadOps = "per_thread_ops"
        case cpuUserSeconds = "cpu_user_s", cpuSysSeconds = "cpu_sys_s"
        case ctxVoluntary = "ctx_voluntary", ctxInvoluntary = "ctx_involuntary", threadStats = "thread_stats"
    }

    /// Every field, for the messages other modules build (`ftlab _native` speaks the protocol too).
    package init(index: Int, warmup: Bool, batch: Int, ops: Int, wallNanoseconds: Int, perThreadOps: [Int],
                 cpuUserSeconds: Double, cpuSysSeconds: Double, ctxVoluntary: Int, ctxInvoluntary: Int,
                 threadStats: HarnessThreadStats? = nil) {
        self.index = index
        self.warmup = warmup
        self.batch = batch
        self.ops = ops
        self.wallNanoseconds = wallNanoseconds
        self.perThreadOps = perThreadOps
        self.cpuUserSeconds = cpuUserSeconds
        self.cpuSysSeconds = cpuSysSeconds
        self.ctxVoluntary = ctxVoluntary
        self.ctxInvoluntary = ctxInvoluntary
        self.threadStats = threadStats
    }
}

/// What each worker thread did during one sample, from /proc/self/task/TID (PROTOCOL.md).
public struct HarnessThreadStats: Sendable, Equatable, Codable {
    public var windowNanoseconds: Int
    /// Native thread ids, in thread order.
    public var tids: [Int]
    public var onCPUNanoseconds: [Int]
    public var runnableNanoseconds: [Int]
    /// From the thread's return from `run()` to the end of the window: waiting for slower threads.
    public var afterFinishNanoseconds: [Int]
    public var ctxVoluntary: [Int]
    public var ctxInvoluntary: [Int]

    package enum CodingKeys: String, CodingKey {
        case windowNanoseconds = "window_ns", tids, onCPUNanoseconds = "on_cpu_ns", runnableNanoseconds = "runnable_ns"
        case afterFinishNanoseconds = "after_finish_ns"
        case ctxVoluntary = "ctx_voluntary", ctxInvoluntary = "ctx_involuntary"
    }
}

/// The last message: the workload's own verdict on its output, and process-wide evidence.
public struct HarnessBye: Sendable, Equatable, Codable {
    public var verified: Bool
    public var checksum: String
    public var expected: String
    public var message: String
    public var maxRSSKiB: Int
    public var threadCPUs: [[Int]]
    public var threadAllowed: [[Int]]
    public var allocatorStats: [String: Double]

    package enum CodingKeys: String, CodingKey {
        case verified, checksum, expected, message, maxRSSKiB = "max_rss_kib"
        case threadCPUs = "thread_cpus", threadAllowed = "thread_allowed", allocatorStats = "allocator_stats"
    }

    /// Every field, for the messages other modules build (`ftlab _native` speaks the protocol too).
    package init(verified: Bool, checksum: String, expected: String, message: String, maxRSSKiB: Int,
                 threadCPUs: [[Int]], threadAllowed: [[Int]], allocatorStats: [String: Double]) {
        self.verified = verified
        self.checksum = checksum
        self.expected = expected
        self.message = message
        self.maxRSSKiB = maxRSSKiB
        self.threadCPUs = threadCPUs
        self.threadAllowed = threadAllowed
        self.allocatorStats = allocatorStats
    }
}

/// A server workload is listening: where, and the requests its answers are checked against.
public struct HarnessListening: Sendable, Equatable, Decodable {
    public var host: String
    public var port: Int
    /// The request mix: each target with the status, length and CRC-32 its answer must have.
    public var requests: [RequestCheck]
}

/// A server's cumulative counters since it started, sent in answer to `usage`.
public struct HarnessUsage: Sendable, Equatable, Decodable {
    public var served: Int
    /// Requests answered per worker slot, in slot order.
    public var perThreadServed: [Int]
    public var cpuUserSeconds: Double
    public var cpuSysSeconds: Double
    public var ctxVoluntary: Int
    public var ctxInvoluntary: Int

    package enum CodingKeys: String, CodingKey {
        case served, perThreadServed = "per_thread_served", cpuUserSeconds = "cpu_user_s", cpuSysSeconds = "cpu_sys_s"
        case ctxVoluntary = "ctx_voluntary", ctxInvoluntary = "ctx_involuntary"
    }
}

extension HarnessUsage {
    /// Counters are never negative: a server that says otherwise broke the protocol (and the
    /// differences the driver takes between two usage messages cannot overflow).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(served: try c.decode(Int.self, forKey: .served),
                  perThreadServed: try c.decode([Int].self, forKey: .perThreadServed),
                  cpuUserSeconds: try c.decode(Double.self, forKey: .cpuUserSeconds),
                  cpuSysSeconds: try c.decode(Double.self, forKey: .cpuSysSeconds),
                  ctxVoluntary: try c.decode(Int.self, forKey: .ctxVoluntary),
                  ctxInvoluntary: try c.decode(Int.self, forKey: .ctxInvoluntary))
        let counts = [served, ctxVoluntary, ctxInvoluntary] + perThreadServed
        guard counts.allSatisfy({ $0 >= 0 }),
              [cpuUserSeconds, cpuSysSeconds].allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "usage counters must be finite and not negative"))
        }
    }
}

/// A failure the harness caught and reported before exiting.
public struct HarnessFailure: Sendable, Equatable, Codable {
    public var message: String
    public var traceback: String
    public var `where`: String

    /// Every field, for the messages other modules build (`ftlab _native` speaks the protocol too).
    package init(message: String, traceback: String, `where`: String) {
        self.message = message
        self.traceback = traceback
        self.`where` = `where`
    }
}

/// Several variants in one process: the line that opens the next variant's part of the output.
public struct HarnessVariantOpening: Sendable, Equatable, Decodable {
    /// The variant whose messages follow.
    public var name: String

    /// The variant `line` opens, or nil when it is no `variant` line.
    public static func name(openedBy line: String) -> String? {
        struct Envelope: Decodable { var type: String }
        let data = Data(line.utf8)
        guard (try? JSONDecoder().decode(Envelope.self, from: data))?.type == "variant" else { return nil }
        return (try? JSONDecoder().decode(Self.self, from: data))?.name
    }
}

/// A message on the harness protocol channel (see Workloads/_harness/PROTOCOL.md; every
/// message and field is defined in Workloads/_harness/protocol.json).
public enum HarnessMessage: Sendable, Equatable {
    case hello(HarnessHello)
    case sample(HarnessSample)
    case bye(HarnessBye)
    case error(HarnessFailure)
    case listening(HarnessListening)
    case usage(HarnessUsage)

    /// Decodes one protocol line strictly: anything but a known, complete message is an error
    /// that quotes the line.
    public static func parse(_ line: String) throws(ProtocolError) -> HarnessMessage {
        let data = Data(line.utf8)
        struct Envelope: Decodable { var type: String }
        let decoder = JSONDecoder()
        guard let envelope = try? decoder.decode(Envelope.self, from: data) else {
            throw .malformed(line: line, reason: "not a JSON object with a \"type\"")
        }
        do {
            switch envelope.type {
            case "hello": return .hello(try decoder.decode(HarnessHello.self, from: data))
            case "sample": return .sample(try decoder.decode(HarnessSample.self, from: data))
            case "bye": return .bye(try decoder.decode(HarnessBye.self, from: data))
            case "error": return .error(try decoder.decode(HarnessFailure.self, from: data))
            case "listening": return .listening(try decoder.decode(HarnessListening.self, from: data))
            case "usage": return .usage(try decoder.decode(HarnessUsage.self, from: data))
            default: throw ProtocolError.malformed(line: line, reason: "unknown message type \"\(envelope.type)\"")
            }
        } catch let error as ProtocolError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw .malformed(line: line, reason: "missing field \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .malformed(line: line, reason: "field \"\(field)\" has the wrong type")
        } catch let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .malformed(line: line, reason: "field \"\(field)\" is null")
        } catch {
            throw .malformed(line: line, reason: "\(error)")
        }
    }
}

/// The complete conversation with one harness process, checked for order.
public struct HarnessTranscript: Sendable, Equatable {
    public var hello: HarnessHello?
    public var samples: [HarnessSample] = []
    public var bye: HarnessBye?
    public var failure: HarnessFailure?
    /// Server workloads: where the server listens.
    public var listening: HarnessListening?

    public init() {}

    /// Parses the whole protocol output of a process. Stops at the first protocol error and
    /// returns what was read with the error, so finished samples are never silently lost.
    public static func parse(_ output: String) -> (HarnessTranscript, ProtocolError?) {
        var transcript = HarnessTranscript()
        for raw in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            do {
                try transcript.accept(try HarnessMessage.parse(line), line: line)
            } catch {
                return (transcript, error)
            }
        }
        return (transcript, nil)
    }

    package mutating func accept(_ message: HarnessMessage, line: String) throws(ProtocolError) {
        if bye != nil || failure != nil {
            throw .outOfOrder(line: line, reason: "message after the final bye/error")
        }
        switch message {
        case .hello(let hello):
            guard self.hello == nil else { throw .outOfOrder(line: line, reason: "a second hello") }
            guard hello.protocolVersion == 1 else {
                throw .malformed(line: line, reason: "protocol version \(hello.protocolVersion); this runner speaks 1")
            }
            self.hello = hello
        case .sample(let sample):
            guard hello != nil else { throw .outOfOrder(line: line, reason: "a sample before hello") }
            samples.append(sample)
        case .bye(let bye):
            guard hello != nil else { throw .outOfOrder(line: line, reason: "bye before hello") }
            self.bye = bye
        case .error(let failure):
            self.failure = failure
        case .listening(let listening):
            guard hello != nil, self.listening == nil else { throw .outOfOrder(line: line, reason: "listening before hello or twice") }
            guard (1...65535).contains(listening.port) else { throw .malformed(line: line, reason: "port \(listening.port)") }
            self.listening = listening
        case .usage:
            guard listening != nil else { throw .outOfOrder(line: line, reason: "usage before listening") }
        }
    }
}

/// A violation of the harness protocol. The process that broke it failed (exit status 1), not
/// the user's input.
public enum ProtocolError: FTLabError, Equatable {
    case malformed(line: String, reason: String)
    case outOfOrder(line: String, reason: String)

    public var exitCode: Int32 { 1 }

    public var description: String {
        switch self {
        case let .malformed(line, reason): "protocol error (\(reason)) in line: \(Self.quote(line))"
        case let .outOfOrder(line, reason): "protocol error (\(reason)) in line: \(Self.quote(line))"
        }
    }

    package static func quote(_ line: String) -> String {
        line.count > 300 ? "\(line.prefix(300))…" : line
    }
}
