import Foundation
import Testing
import FTLabCore
import FTLabRunner

/// The lockbench workload on the real lab pair: CPython's `_testinternalcapi.benchmark_locks`
/// (the lab builds keep the test modules), reached through a script of lockbench's shape.
@Suite("lockbench", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct LockBenchIntegrationTests {
    /// What CPython's Tools/lockbench/lockbench.py imports and defines (the file itself is never
    /// copied; `realScriptFromDebian` runs the real one).
    static let script = """
        from _testinternalcapi import benchmark_locks

        def jains_fairness(values):
            return (sum(values) ** 2) / (len(values) * sum(x ** 2 for x in values))
        """

    static func folder(_ text: String, _ name: String = #function) throws -> String {
        let folder = TestPaths.scratch(name)
        try text.write(toFile: folder + "/lockbench.py", atomically: true, encoding: .utf8)
        return folder
    }

    static let tiny = ["--processes", "1", "--samples", "2", "--warmups", "1", "--batch", "20"]

    @Test("both variants on both builds at 1 and 2 threads: acquisitions counted, every call consistent")
    func bothVariantsOnBothBuilds() throws {
        let folder = try Self.folder(Self.script)
        let csv = folder + "/run.csv"
        let run = try ftlab(["run", "lockbench", "--python", PinnedPair.gil, "--python", PinnedPair.freeThreaded,
                             "--threads", "1,2", "-o", csv] + Self.tiny, environment: ["FTLAB_LOCKBENCH": folder])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        for variant in ["pymutex", "pythread-lock"] {
            let measured = rows.filter { $0.variant == variant }
            #expect(Set(measured.map(\.interpreter)) == [PinnedPair.gil, PinnedPair.freeThreaded])
            #expect(Set(measured.map(\.threads)) == [1, 2])
            #expect(measured.allSatisfy { $0.status == .ok && $0.unit == "acquisitions" && $0.ops > 0 }, "\(measured.map(\.message))")
            // 20 ms per call: a wall far longer would mean the batch is not the call's time_ms.
            #expect(measured.allSatisfy { $0.wallSeconds >= 0.020 && $0.wallSeconds < 2 }, "\(measured.map(\.wallSeconds))")
        }
    }

    @Test("a rate that disagrees with the counts fails verification")
    func aWrongRateFails() throws {
        let folder = try Self.folder("""
            from _testinternalcapi import benchmark_locks as real

            def benchmark_locks(num_threads, use_pymutex=True, critical_section_length=1, time_ms=1000, /):
                rate, counts = real(num_threads, use_pymutex, critical_section_length, time_ms)
                return rate * 3, counts
            """)
        let csv = folder + "/run.csv"
        let run = try ftlab(["run", "lockbench/pymutex", "--python", PinnedPair.freeThreaded, "--threads", "1", "-o", csv] + Self.tiny,
                            environment: ["FTLAB_LOCKBENCH": folder])
        #expect(run.status == 1)
        let row = try #require(try ResultReader(path: csv).rows.first)
        #expect(row.status == .failed)
        #expect(row.message.contains("outside [20 ms asked"), "\(row.message)")
    }

    @Test("3.15's benchmark_locks (eight arguments, elapsed ns returned): pymutex runs, pythread-lock is skipped, work_outside is passed")
    func theThreePointFifteenEdition() throws {
        // 3.15's calling convention over 3.13's C function: what this machine cannot build.
        let folder = try Self.folder("""
            from _testinternalcapi import benchmark_locks as real

            def benchmark_locks(num_threads, work_inside, work_outside, time_ms, acquisitions, total_iters, num_locks, random_locks, /):
                assert work_outside == 3 and (acquisitions, total_iters, num_locks, random_locks) == (1, 0, 1, False)
                rate, counts = real(num_threads, True, work_inside, time_ms)
                return rate, counts, round(sum(counts) / rate * 1e9)
            """)
        let csv = folder + "/run.csv"
        let run = try ftlab(["run", "lockbench", "--python", PinnedPair.freeThreaded, "--threads", "2",
                             "--param", "work_outside=3", "-o", csv] + Self.tiny, environment: ["FTLAB_LOCKBENCH": folder])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("skipped lockbench/pythread-lock on \(PinnedPair.freeThreaded): the script does not register pythread-lock"),
                "\(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(!rows.isEmpty && rows.allSatisfy { $0.variant == "pymutex" && $0.status == .ok })
    }

    @Test("work_outside on 3.13's benchmark_locks exits 2 before anything is measured")
    func workOutsideNeedsThreePointFifteen() throws {
        let folder = try Self.folder(Self.script)
        let run = try ftlab(["run", "lockbench/pymutex", "--python", PinnedPair.freeThreaded, "--threads", "1",
                             "--param", "work_outside=2", "-o", folder + "/run.csv"] + Self.tiny, environment: ["FTLAB_LOCKBENCH": folder])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("param 'work_outside' must be 0 on CPython \(PinnedPair.version)"), "\(run.stderr)")
    }

    @Test("an interpreter without _testinternalcapi skips the workload and says how to get it")
    func withoutTestInternalCAPI() throws {
        let folder = try Self.folder("""
            # what `from _testinternalcapi import benchmark_locks` raises on a --disable-test-modules build
            raise ModuleNotFoundError("No module named '_testinternalcapi'", name="_testinternalcapi")
            """)
        let run = try ftlab(["run", "lockbench/pymutex", "lockbench/pythread-lock", "--python", PinnedPair.gil, "--threads", "1",
                             "-o", folder + "/run.csv"] + Self.tiny, environment: ["FTLAB_LOCKBENCH": folder])
        #expect(run.stderr.contains("skipped lockbench/pymutex on \(PinnedPair.gil): "), "\(run.stderr)")
        #expect(run.stderr.contains("this interpreter has no _testinternalcapi"), "\(run.stderr)")
        #expect(run.stderr.contains("rebuild with `ftlab lab pythons`"), "\(run.stderr)")
    }

    /// Both editions of CPython's own scripts on the pinned free-threaded build: Debian's
    /// python3.14-examples (the release's own) and python3.15-examples (the default `ftlab lab
    /// examples` fetches), each pointed at through its variable.
    @Test("lockbench and ftscalingbench from the 3.14 and the 3.15 examples run on the pinned free-threaded build",
          .tags(.network), .skippedInUnitRuns, arguments: ["3.14", "3.15"])
    func bothEditionsOfTheRealScripts(edition: String) throws {
        let cache = TestPaths.scratch("edition\(edition)")
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let fetch = try ftlab(["lab", "examples", "--version", edition], environment: ["FTLAB_CACHE": cache])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        let paths = fetch.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let lockbench = try #require(paths.first { $0.hasSuffix("/lockbench/lockbench.py") }, "\(fetch.stdout)")
        let ftscalingbench = try #require(paths.first { $0.hasSuffix("/ftscalingbench/ftscalingbench.py") }, "\(fetch.stdout)")
        let csv = cache + "/run.csv"
        let run = try ftlab(["run", "lockbench/pymutex", "ftscalingbench/pymethod", "--python", try TestPaths.labPython(.freethreaded),
                             "--threads", "1,2", "--param", "ftscalingbench.scale=10", "-o", csv] + Self.tiny,
                            environment: ["FTLAB_CACHE": cache, "FTLAB_LOCKBENCH": lockbench, "FTLAB_FTSCALINGBENCH": ftscalingbench])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(Set(rows.map(\.workload)) == ["lockbench", "ftscalingbench"])
        #expect(rows.allSatisfy { $0.status == .ok && $0.ops > 0 && $0.pythonVersion == PinnedPair.version && $0.gilEnabled == false },
                "\(rows.map(\.message))")
    }

    @Test("ftlab lab examples brings CPython's own lockbench.py; it runs on the lab's free-threaded build", .tags(.network), .skippedInUnitRuns)
    func realScriptFromDebian() throws {
        let cache = TestPaths.scratch()
        let fetch = try ftlab(["lab", "examples"], environment: ["FTLAB_CACHE": cache])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        let listed = try ftlab(["list"], environment: ["FTLAB_CACHE": cache])
        #expect(listed.stdout.contains("  script: \(cache)/tools/python3.15-examples-"), "\(listed.stdout)")
        let csv = cache + "/run.csv"
        let run = try ftlab(["run", "lockbench/pymutex", "--python", try TestPaths.labPython(.freethreaded), "--threads", "1,2",
                             "-o", csv] + Self.tiny, environment: ["FTLAB_CACHE": cache])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(!rows.isEmpty && rows.allSatisfy { $0.status == .ok && $0.ops > 0 })
    }
}
