import Foundation
import Testing
@testable import FTLabCore

/// The one convention for machine output, through the built binary: every `--format json`
/// document is an object with `schema` = `ftlab.KIND/1`, snake_case keys all the way down and
/// booleans as JSON booleans; a format a command does not print, and any other bad input, exits 2.
@Suite(.tags(.integration), .skippedInUnitRuns)
struct OutputConventionTests {
    static let run = TestPaths.repository + "/results/full-2cpu-epyc.csv"
    static let sysfs = TestPaths.fixtures + "/sysfs/2socket-16core-smt"

    /// Every key in `value` that is not snake_case, with its path; and every string that is
    /// `true` or `false` (a boolean written as text).
    static func problems(_ value: Any, at path: String = "$") -> [String] {
        switch value {
        case let object as [String: Any]:
            return object.sorted { $0.key < $1.key }.flatMap { key, child in
                (key.wholeMatch(of: /[a-z][a-z0-9]*(_[a-z0-9]+)*/) == nil ? ["key \(path).\(key) is not snake_case"] : [])
                    + problems(child, at: "\(path).\(key)")
            }
        case let array as [Any]:
            return array.enumerated().flatMap { problems($1, at: "\(path)[\($0)]") }
        case let text as String where text == "true" || text == "false":
            return ["\(path) is the string \"\(text)\", not a boolean"]
        default:
            return []
        }
    }

    /// Runs `arguments`, parses standard output as one JSON object and checks the convention.
    @discardableResult
    static func document(_ arguments: [String], kind: String) throws -> [String: Any] {
        let result = try ftlab(arguments, environment: ["FTLAB_FTSCALINGBENCH": "/nonexistent/ftscalingbench.py"])
        #expect(result.status == 0, "ftlab \(arguments.joined(separator: " ")): \(result.stderr)")
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let object = try #require(parsed as? [String: Any], "ftlab \(arguments.joined(separator: " ")) prints an object")
        #expect(object["schema"] as? String == "ftlab.\(kind)/1")
        #expect(problems(object) == [], "ftlab \(arguments.joined(separator: " "))")
        return object
    }

    @Test("list, env, plan, lab status, compare and report: --format json is one object with its schema, snake_case, real booleans")
    func everyDocumentFollowsTheConvention() throws {
        let list = try Self.document(["list", "--format", "json"], kind: "list")
        let workloads = try #require(list["workloads"] as? [[String: Any]])
        let variants = workloads.flatMap { $0["variants"] as? [[String: Any]] ?? [] }
        #expect(!variants.isEmpty && variants.allSatisfy { $0["native"] is Bool })
        let env = try Self.document(["env", "--format", "json", "--sysfs-root", Self.sysfs], kind: "env")
        let topology = try #require(env["topology"] as? [String: Any])
        #expect((topology["online_cpus"] as? [Int])?.count == 32)
        #expect(topology["smt"] as? Bool == true)
        let plan = try Self.document(["plan", "--threads", "4", "--placement", "spread", "--sysfs-root", Self.sysfs,
                                      "--format", "json"], kind: "plan")
        #expect(plan["thread_cpus"] as? [Int] == [0, 8, 1, 9])
        let status = try Self.document(["lab", "status", "--format", "json"], kind: "lab-status")
        #expect(status["builds"] is [Any])
        let compare = try Self.document(["compare", Self.run, Self.run, "--format", "json"], kind: "compare")
        let results = try #require(compare["results"] as? [[String: Any]])
        #expect(!results.isEmpty && results.allSatisfy { $0["conclusive"] is Bool })
        let report = try Self.document(["report", Self.run, "--format", "json"], kind: "report")
        let sections = try #require(report["sections"] as? [[String: Any]])
        #expect(sections.map { "\($0["workload"] ?? "")" }.contains("log-processing"))
        // --json is the alias: the same document.
        let alias = try ftlab("plan", "--threads", "4", "--placement", "spread", "--sysfs-root", Self.sysfs, "--json")
        let long = try ftlab("plan", "--threads", "4", "--placement", "spread", "--sysfs-root", Self.sysfs, "--format", "json")
        #expect(alias.stdout == long.stdout)
    }

    @Test("explain --format json follows it too, with progress on stderr only", .tags(.needsLab), .skippedInUnitRuns)
    func explainDocument() throws {
        let explain = try Self.document(["explain", "log-processing/partitioned", "--threads", "2", "--python", "cpython-3.13.5t",
                                         "--samples", "1", "--target-seconds", "0.05", "--param", "lines=2000",
                                         "--format", "json"], kind: "explain")
        let configurations = try #require(explain["configurations"] as? [[String: Any]])
        #expect(configurations.count == 1)
        #expect(configurations.first?["gil_enabled"] as? Bool == false)
    }

    @Test("report --format text is the scaling table; --color always colours it and --color never does not")
    func reportTextAndColor() throws {
        let always = try ftlab("report", Self.run, "--format", "text", "--color", "always")
        #expect(always.status == 0)
        #expect(always.stdout.contains("\u{1B}[1mlog-processing"))
        let never = try ftlab(["report", Self.run, "--format", "text", "--color", "never"], environment: ["NO_COLOR": ""])
        #expect(never.status == 0)
        #expect(never.stdout.contains("log-processing") && !never.stdout.contains("\u{1B}["))
    }

    @Test("bad input exits 2 with one line naming it: unknown option, bad --format, --json against --format, missing file",
          arguments: [
              (["list", "--bogus"], "Unknown option '--bogus'"),
              (["list", "--format", "csv"], "bad --format \"csv\"; ftlab list prints text, json"),
              (["report", "results/none.csv", "--format", "yaml"], "ftlab report prints html, markdown, text, json"),
              (["lab", "status", "--format", "markdown"], "ftlab lab status prints text, json"),
              (["plan", "--threads", "2", "--placement", "compact", "--json", "--format", "text"], "--json and --format text disagree"),
              (["compare", "/nonexistent/base.csv", "/nonexistent/new.csv"], "/nonexistent/base.csv"),
              (["report", "/nonexistent/run.csv"], "/nonexistent/run.csv"),
              (["compare", "a.csv", "b.csv", "--color", "sometimes"], "sometimes"),
              (["plan", "--threads", "two", "--placement", "compact"], "two"),
          ])
    func badInputExits2(arguments: [String], named: String) throws {
        let result = try ftlab(arguments)
        #expect(result.status == 2, "ftlab \(arguments.joined(separator: " ")): \(result.stderr)")
        #expect(result.stderr.hasPrefix("ftlab: error: ") && result.stderr.contains(named), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("--help and --version exit 0")
    func helpAndVersionExit0() throws {
        let help = try ftlab("list", "--help")
        #expect(help.status == 0)
        #expect(help.stdout.contains("--format <FORMAT>") && help.stdout.contains("--json"))
        #expect(try ftlab("--version").status == 0)
    }
}

/// `NO_COLOR` counts only when it is set to something; the convention check finds what breaks it.
@Suite struct OutputConventionUnitTests {
    @Test func theCheckFindsCamelCaseKeysAndTextBooleans() {
        let found = OutputConventionTests.problems(["schema": "ftlab.x/1", "memNodes": [1], "variants": [["native": "true"]],
                                                    "ok_key": true])
        #expect(found == ["key $.memNodes is not snake_case", "$.variants[0].native is the string \"true\", not a boolean"])
    }

    @Test func emptyNoColorIsUnset() {
        #expect(TerminalStyle.colorAllowed(environment: [:]))
        #expect(TerminalStyle.colorAllowed(environment: ["NO_COLOR": ""]))
        #expect(!TerminalStyle.colorAllowed(environment: ["NO_COLOR": "1"]))
    }
}
