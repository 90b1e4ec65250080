import Foundation

/// What pytest collected from a project on one interpreter (`Workloads/_project/collect.py`).
public struct TestCollection: Sendable, Equatable, Codable {
    /// One collected test.
    public struct Test: Sendable, Equatable, Codable {
        public var nodeid: String
        /// `function` (a test function or a test class's method) or `unittest`.
        public var kind: String
        /// pytest-run-parallel's reason the test runs at one thread only, or nil.
        public var threadUnsafe: String?
        enum CodingKeys: String, CodingKey { case nodeid, kind, threadUnsafe = "thread_unsafe" }
    }
    /// A node pytest reported with a reason (skipped, not measurable, failed to collect).
    public struct Note: Sendable, Equatable, Codable {
        public var nodeid: String
        public var reason: String
        enum CodingKeys: String, CodingKey { case nodeid, reason, message }
        public init(nodeid: String, reason: String) { self.nodeid = nodeid; self.reason = reason }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            nodeid = try c.decode(String.self, forKey: .nodeid)
            reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? c.decode(String.self, forKey: .message)
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(nodeid, forKey: .nodeid)
            try c.encode(reason, forKey: .reason)
        }
    }
    /// A module whose import re-enabled the GIL, and the distribution that ships it.
    public struct GILModule: Sendable, Equatable, Codable, Hashable {
        public var module: String
        public var distribution: String
    }

    public var pytest: String
    public var exitCode: Int
    /// pytest's last lines of output.
    public var output: String
    public var tests: [Test]
    public var unsupported: [Note]
    public var skipped: [Note]
    /// Modules (or the whole session, `.`) that failed to collect.
    public var errors: [Note]
    public var gilEnabledBy: [GILModule]
    /// Whether the GIL was on after collection (a free-threaded build that imported such a module).
    public var gilEnabled: Bool

    enum CodingKeys: String, CodingKey {
        case pytest, exitCode = "exit_code", output, tests, unsupported, skipped, errors
        case gilEnabledBy = "gil_enabled_by", gilEnabled = "gil_enabled"
    }
}

/// The collection of one interpreter's venv, or why there is none.
public struct InterpreterCollection: Sendable, Equatable, Codable {
    public var interpreter: String
    public var build: String
    public var collection: TestCollection?
    /// Why the project's venv could not be made on this interpreter (pip's last lines).
    public var installFailure: String?
    /// Distributions pip built from source for this interpreter (no wheel for its ABI).
    public var builtFromSource: [String]

    enum CodingKeys: String, CodingKey {
        case interpreter, build, collection, installFailure = "install_failure", builtFromSource = "built_from_source"
    }
}

/// What `ftlab project` found and made, kept beside the generated workload (`project.json`) so
/// that a later summary can say it without collecting again.
public struct ProjectRecord: Sendable, Equatable, Codable {
    public var name: String
    public var folder: String
    public var snapshot: String
    public var digest: String
    public var requirements: [String]
    public var pytestOptions: [String]
    public var selection: [String]
    public var interpreters: [InterpreterCollection]
    /// Seconds a plain `pytest` of the selection took on each interpreter (the suite's T), when timed.
    public var plainSeconds: [String: Double]

    enum CodingKeys: String, CodingKey {
        case name, folder, snapshot, digest, requirements, selection, interpreters
        case pytestOptions = "pytest_options", plainSeconds = "plain_seconds"
    }

    /// Every test collected on some interpreter, in collection order.
    public var tests: [TestCollection.Test] {
        var seen = Set<String>()
        var all: [TestCollection.Test] = []
        for entry in interpreters {
            for test in entry.collection?.tests ?? [] where seen.insert(test.nodeid).inserted { all.append(test) }
        }
        return all
    }

    public static let fileName = "project.json"

    /// The record in a generated workload folder, if there is one.
    public static func read(workloadDirectory: String) -> ProjectRecord? {
        guard let data = FileManager.default.contents(atPath: "\(workloadDirectory)/\(fileName)") else { return nil }
        return try? JSONDecoder().decode(ProjectRecord.self, from: data)
    }
}
