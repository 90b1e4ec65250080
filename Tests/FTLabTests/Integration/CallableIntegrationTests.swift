import Foundation
import Testing
import FTLabCore
import FTLabRunner

/// `ftlab run --callable MODULE:FUNCTION` end to end on the lab pair: one function as a
/// workload, verified at N threads against its result at 1 thread; bad targets exit 2 first.
@Suite("One function as a workload (--callable)", .serialized, .tags(.integration), .skippedInUnitRuns)
struct CallableIntegrationTests {
    static let tiny = ["--processes", "1", "--samples", "2", "--warmups", "1", "--target-seconds", "0.05"]
    static let fixtures = TestPaths.fixtures + "/callable"

    @Test("a stdlib function on both builds at 1 and 2 threads: verified rows named after the module and the function",
          .tags(.needsLab), .skippedInUnitRuns)
    func stdlibFunction() throws {
        let csv = TestPaths.scratch() + "/callable.csv"
        let run = try ftlab(["run", "--callable", "sysconfig:get_paths", "--threads", "1,2", "-o", csv] + Self.tiny)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(Set(rows.map { "\($0.interpreter) \($0.threads)" })
                == Set(PinnedPair.labels.flatMap { label in ["\(label) 1", "\(label) 2"] }), "both builds, 1 and 2 threads")
        for row in rows {
            let name = "\(row.interpreter) threads=\(row.threads)"
            #expect(row.status == .ok, "\(name): \(row.message)")
            #expect(row.workload == "sysconfig" && row.variant == "get_paths" && row.unit == "calls", "\(name)")
            #expect(row.params == "callable=sysconfig:get_paths;result_check=on", "\(name): \(row.params)")
            #expect(row.ops > 0 && row.gilEnabled == (row.build == "gil"), "\(name)")
        }
        #expect(run.stdout.contains("sysconfig / get_paths"), "the summary names it: \(run.stdout)")
    }

    @Test("a missing function, a non-callable, a module that does not import, a function that raises or needs arguments, a result that varies: exit 2 with the reason, nothing measured", .tags(.needsLab), .skippedInUnitRuns, arguments: [
        (["--callable", "json:no_such_function"], "module json has no attribute 'no_such_function'"),
        (["--callable", "callable_fixture:not_callable", "--callable-dir", fixtures], "not_callable is not callable (a value of type int: 42)"),
        (["--callable", "no_such_module_for_ftlab:f"], "module 'no_such_module_for_ftlab' does not import"),
        (["--callable", "callable_fixture:raises", "--callable-dir", fixtures], "raised at 1 thread: RuntimeError: broken on purpose"),
        (["--callable", "json:loads"], "loads() takes required arguments (s)"),
        (["--callable", "time:time"], "its result varies"),
    ])
    func badTargets(arguments: [String], reason: String) throws {
        let csv = TestPaths.scratch() + "/bad.csv"
        let run = try ftlab(["run", "--python", PinnedPair.freeThreaded, "--threads", "1", "-o", csv] + arguments + Self.tiny)
        #expect(run.status == 2, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains(reason), "\(arguments): \(run.stderr)")
        #expect((try? ResultReader(path: csv).rows.count) ?? 0 == 0, "nothing measured for \(arguments)")
    }

    @Test("--no-result-check runs a function whose result varies, and every row says so; a wrong result at N threads fails the process",
          .tags(.needsLab), .skippedInUnitRuns)
    func resultCheck() throws {
        let dir = TestPaths.scratch()
        let unchecked = try ftlab(["run", "--callable", "time:time", "--no-result-check", "--python", PinnedPair.freeThreaded,
                                   "--threads", "2", "-o", dir + "/time.csv"] + Self.tiny)
        #expect(unchecked.status == 0, "stderr: \(unchecked.stderr)")
        let rows = try ResultReader(path: dir + "/time.csv").rows
        #expect(!rows.isEmpty && rows.allSatisfy { $0.status == .ok && $0.params == "callable=time:time;result_check=off" },
                "\(rows.map(\.params))")
        // True on the main thread (the expected value), False on every worker: a wrong answer.
        let wrong = try ftlab(["run", "--callable", "callable_fixture:main_thread_only", "--callable-dir", Self.fixtures,
                               "--python", PinnedPair.freeThreaded, "--threads", "2", "-o", dir + "/wrong.csv"] + Self.tiny)
        #expect(wrong.status == 1, "stderr: \(wrong.stderr)")
        let failed = try ResultReader(path: dir + "/wrong.csv").rows
        #expect(!failed.isEmpty && failed.allSatisfy { $0.status == .failed }, "\(failed.map(\.status))")
        #expect(failed.first?.message.contains("callable_fixture:main_thread_only() returned False on thread 0, True at 1 thread") == true,
                "\(failed.first?.message ?? "")")
        // The module from its folder, deterministic work: verified.
        let good = try ftlab(["run", "--callable", "callable_fixture:squares", "--callable-dir", Self.fixtures,
                              "--python", PinnedPair.freeThreaded, "--threads", "2", "-o", dir + "/good.csv"] + Self.tiny)
        #expect(good.status == 0, "stderr: \(good.stderr)")
        #expect(try ResultReader(path: dir + "/good.csv").rows.allSatisfy {
            $0.status == .ok && $0.params.hasPrefix("callable=callable_fixture:squares;callable_dir=")
        })
    }

    @Test("--requirement makes a venv per interpreter like a workload's requirements; the rows name it", .tags(.needsLab, .network), .skippedInUnitRuns)
    func requirement() throws {
        let csv = TestPaths.scratch() + "/six.csv"
        let run = try ftlab(["run", "--callable", "callable_fixture:uses_requirement", "--callable-dir", Self.fixtures,
                             "--requirement", "six", "--threads", "1", "-o", csv] + Self.tiny)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(Set(rows.map(\.interpreter)) == Set(PinnedPair.labels))
        #expect(rows.allSatisfy { $0.status == .ok && $0.packages.count == 12 }, "\(rows.map(\.message))")
        #expect(run.stdout.contains("six=="), "the freeze is printed: \(run.stdout)")
    }

    @Test("options that go with --callable are refused without it; a malformed target is refused before any interpreter starts")
    func options() throws {
        for arguments in [["--requirement", "six"], ["--callable-dir", "."], ["--no-result-check"], ["--requirements", "r.txt"]] {
            let run = try ftlab(["run"] + arguments)
            #expect(run.status == 2 && run.stderr.contains("goes with --callable"), "\(arguments): \(run.stderr)")
        }
        let bad = try ftlab(["run", "--callable", "statistics.fmean"])
        #expect(bad.status == 2 && bad.stderr.contains("expected MODULE:FUNCTION"), "\(bad.stderr)")
        let help = try ftlab(["run", "--help"])
        #expect(help.stdout.contains("--callable <MODULE:FUNCTION>") && help.stdout.contains("--no-result-check"), "\(help.stdout)")
    }
}
