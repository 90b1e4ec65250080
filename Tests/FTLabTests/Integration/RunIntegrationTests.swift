import Foundation
import Testing
import FTLabCore
import FTLabRunner

extension LoadSensitiveTests {
    /// `ftlab run` end to end: the real lab interpreter pair, the real harness and workloads.
    /// Needs the pair built (`ftlab lab pythons`; CI does it first). Tiny runs, no timing asserts.
    @Suite("ftlab run, end to end", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
    struct RunIntegrationTests {
        /// A short calibrated run: enough to exercise every path, not to measure.
        static let tiny = ["--quick", "--processes", "1", "--samples", "2", "--target-seconds", "0.02"]

        func rows(_ path: String) throws -> [ResultRow] { try ResultReader(path: path).rows }

        @Test("both lab builds at 1 and 2 threads: GIL state observed, output verified, threads pinned")
        func labPair() throws {
            let csv = TestPaths.scratch() + "/pair.csv"
            let run = try ftlab(["run", "log-processing/partitioned", "--threads", "1,2", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try rows(csv)
            #expect(rows.count == 2 * 2 * 2)  // 2 builds x 2 thread counts x 2 samples
            for row in rows {
                #expect(row.status == .ok, "\(row.message)")
                #expect(row.ops > 0 && row.throughput > 0 && row.wallSeconds > 0)
                #expect(row.pythonVersion == PinnedPair.version)
                #expect(row.placement == "compact")
                #expect(row.observedCPUs == row.cpus, "threads ran where planned")
                if row.interpreter == PinnedPair.freeThreaded {
                    #expect(row.build == "freethreaded")
                    #expect(row.gilEnabled == false)
                } else {
                    #expect(row.interpreter == PinnedPair.gil)
                    #expect(row.build == "gil")
                    #expect(row.gilEnabled == true)
                }
            }
            #expect(Set(rows.map(\.threads)) == [1, 2])
            #expect(run.stdout.contains("log-processing / partitioned"), "the scaling table is printed")
            #expect(run.stdout.contains("ft/gil"))
        }

        @Test("compact and cpus:1,0 at 2 threads: every thread ran only on its planned CPU")
        func placementHolds() throws {
            let csv = TestPaths.scratch() + "/placement.csv"
            let run = try ftlab(["run", "log-processing/partitioned", "--python", PinnedPair.freeThreaded, "--threads", "2",
                                 "--placement", "compact,cpus:1,0,none", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try rows(csv)
            let byPlacement = Dictionary(grouping: rows, by: \.placement)
            #expect(byPlacement["compact"]?.allSatisfy { $0.cpus == "0 1" && $0.observedCPUs == "0 1" } == true)
            #expect(byPlacement["cpus:1,0"]?.allSatisfy { $0.cpus == "1 0" && $0.observedCPUs == "1 0" } == true)
            // Unpinned threads have no plan; where they ran is still recorded, one entry per thread.
            #expect(byPlacement["none"]?.allSatisfy { $0.cpus.isEmpty && $0.observedCPUs.split(separator: " ").count == 2 } == true)
        }

        @Test("each installed allocator on both builds: swap proven, scope all on GIL and raw on free-threaded")
        func allocators() throws {
            let csv = TestPaths.scratch() + "/alloc.csv"
            let run = try ftlab(["run", "log-processing/partitioned", "--threads", "1", "--param", "lines=2000",
                                 "--allocator", "system,jemalloc,mimalloc,tcmalloc", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try rows(csv)
            #expect(rows.count == 2 * 4 * 2)
            for row in rows {
                #expect(row.status == .ok && row.allocatorVerified, "\(row.interpreter) \(row.allocator): \(row.message)")
                let expected = row.allocator == "system" ? "none" : row.build == "gil" ? "all" : "raw"
                #expect(row.allocatorScope == expected, "\(row.interpreter) \(row.allocator)")
            }
        }

        @Test("every log-processing variant verifies its totals on the free-threaded build",
              arguments: ["partitioned", "shared-lock", "pipeline"])
        func variants(variant: String) throws {
            let csv = TestPaths.scratch() + "/v.csv"
            let run = try ftlab(["run", "log-processing/\(variant)", "--python", PinnedPair.freeThreaded, "--threads", "2",
                                 "--param", "lines=2000", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try rows(csv)
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { $0.status == .ok && $0.params.contains("lines=2000") })
        }

        @Test("PYTHON_GIL=1 re-enables the GIL on the free-threaded build, and the CSV says so")
        func gilOverride() throws {
            let csv = TestPaths.scratch() + "/gil.csv"
            let run = try ftlab(["run", "log-processing/partitioned", "--python", PinnedPair.freeThreaded, "--threads", "1",
                                 "--env", "PYTHON_GIL=1", "-o", csv] + Self.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try rows(csv)
            #expect(rows.allSatisfy { $0.build == "freethreaded" && $0.gilEnabled == true && $0.env == "PYTHON_GIL=1" })
        }

        @Test("a crash, a hang and a wrong answer are recorded, and the suite goes on")
        func faults() throws {
            let csv = TestPaths.scratch() + "/faults.csv"
            let run = try ftlab(["run", "raises", "hangs", "lies", "--workloads-dir", TestPaths.fixtures + "/faulty-workloads",
                                 "--python", PinnedPair.freeThreaded, "--threads", "2", "--timeout", "3", "-o", csv] + Self.tiny)
            #expect(run.status == 1, "some process failed: exit 1")
            let rows = try rows(csv)
            let byWorkload = Dictionary(grouping: rows, by: \.workload)
            let raised = try #require(byWorkload["raises"]?.first)
            #expect(raised.status == .failed)
            #expect(raised.message.contains("ValueError: thread 0 broke on purpose"))
            #expect(raised.message.contains("workload.py:7"))
            let hung = try #require(byWorkload["hangs"]?.first)
            #expect(hung.status == .timeout)
            #expect(hung.message.contains("killed after 3 s"))
            let lied = try #require(byWorkload["lies"]?.first)
            #expect(lied.status == .failed)
            #expect(lied.message.contains("verification failed"))
            #expect(run.stdout.contains("failed"))
        }

        @Test("bad input exits 2 and names the bad value", arguments: [
            (["run", "no-such-workload"], "no-such-workload"),
            (["run", "log-processing/nope"], "nope"),
            (["run", "--threads", "0"], "--threads \"0\""),
            (["run", "--python", "/no/such/python"], "/no/such/python"),
            (["run", "--python", "/etc/hostname"], "/etc/hostname"),
            (["run", "--placement", "cpus:99"], "99"),
            (["run", "--placement", "sideways"], "sideways"),
            (["run", "--env", "NOEQUALS"], "NOEQUALS"),
            (["run", "log-processing", "--param", "bogus=1"], "bogus"),
            (["run", "--samples", "0"], "--samples 0"),
            (["run", "--allocator", "hoard"], "hoard"),
            (["run", "--allocator", "/etc/hostname"], "/etc/hostname"),
        ])
        func badInput(arguments: [String], named: String) throws {
            let run = try ftlab(arguments + ["-o", TestPaths.scratch("bad") + "/x.csv"])
            #expect(run.status == 2, "stderr: \(run.stderr)")
            #expect(run.stderr.contains(named), "stderr: \(run.stderr)")
        }

        @Test("Ctrl-C, SIGTERM and SIGHUP kill the interpreter, keep finished rows and exit 130",
              arguments: [SIGINT, SIGTERM, SIGHUP])
        func interrupt(signal: Int32) async throws {
            let dir = TestPaths.scratch()
            let csv = dir + "/int.csv"
            let process = try launchFTLab(["run", "tiny/sum", "hangs", "--workloads-dir", TestPaths.fixtures + "/workloads",
                                           "--workloads-dir", TestPaths.fixtures + "/faulty-workloads", "--python", PinnedPair.gil,
                                           "--threads", "1", "--timeout", "120", "-o", csv] + Self.tiny)
            // Wait until the hanging workload's interpreter is running.
            let hangPID = try await waitFor { processes(commandLineContaining: "faulty-workloads/hangs").first }
            let pid = try #require(hangPID, "the hanging workload never started")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            try await Task.sleep(for: .milliseconds(200))
            #expect(kill(pid, 0) != 0, "the interpreter process is gone")
            let rows = try rows(csv)
            #expect(rows.count == 2 && rows.allSatisfy { $0.workload == "tiny" && $0.status == .ok })
        }

        @Test("resume after kill -9 ends with exactly the rows of a clean run")
        func resumeAfterKill() async throws {
            let dir = TestPaths.scratch()
            let csv = dir + "/resume.csv"
            let args = ["run", "tiny", "--workloads-dir", TestPaths.fixtures + "/workloads", "--python", PinnedPair.gil,
                        "--threads", "1,2", "--processes", "3", "--samples", "2", "--warmups", "1", "--target-seconds", "0.05",
                        "-o", csv]
            let process = try launchFTLab(args)
            // Kill it once some, but not all, processes have written their rows.
            for _ in 0..<600 {
                try await Task.sleep(for: .milliseconds(50))
                if let rows = try? ResultReader(path: csv).rows, rows.count >= 4 { break }
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let before = try rows(csv)
            let cleanRunRows = 2 * 2 * 3 * 2  // 2 variants x 2 thread counts x 3 processes x 2 samples
            #expect(before.count >= 4 && before.count < cleanRunRows, "killed mid-suite (\(before.count) rows)")
            // Simulate a torn final write too: a half line at the end.
            let handle = try #require(FileHandle(forWritingAtPath: csv))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("1,half-a-row".utf8))
            try handle.close()

            let resumed = try ftlab(args + ["--resume"])
            #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
            #expect(resumed.stderr.contains("incomplete"))
            let after = try rows(csv)
            let units = after.map { "\($0.variant)|\($0.threads)|\($0.process)|\($0.sample)" }
            #expect(units.count == cleanRunRows)
            #expect(Set(units).count == units.count, "no duplicates")
            #expect(Set(after.map(\.runID)).count == 1, "the resumed rows keep the run id")
        }
    }
}

@Suite("ftlab compare and merge on real runs", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct CompareIntegrationTests {
    func run(_ extra: [String], into csv: String) throws {
        let result = try ftlab(["run", "tiny/sum", "--workloads-dir", TestPaths.fixtures + "/workloads", "--python", PinnedPair.gil,
                                "--threads", "1", "--quick", "--processes", "2", "--samples", "4", "--target-seconds", "0.03",
                                "-o", csv] + extra)
        #expect(result.status == 0, "stderr: \(result.stderr)")
    }

    @Test("a real slowdown (10x the work per op) is reported slower with exit 1; the reverse is faster with exit 0")
    func realSlowdown() throws {
        let dir = TestPaths.scratch()
        try run(["--param", "n=100"], into: dir + "/base.csv")
        try run(["--param", "n=1000"], into: dir + "/slow.csv")
        let slower = try ftlab(["compare", dir + "/base.csv", dir + "/slow.csv", "--ignore", "params", "--format", "json"])
        #expect(slower.status == 1, "stdout: \(slower.stdout) stderr: \(slower.stderr)")
        #expect(slower.stdout.contains("\"verdict\" : \"slower\""))
        let faster = try ftlab(["compare", dir + "/slow.csv", dir + "/base.csv", "--ignore", "params"])
        #expect(faster.status == 0, "stderr: \(faster.stderr)")
        #expect(faster.stdout.contains("faster"))
    }

    @Test("--ab-env runs A and B side by side in one file, and compare splits it with --base/--new")
    func abInOneRun() throws {
        let dir = TestPaths.scratch()
        try run(["--param", "n=100", "--ab-env", "FTLAB_TINY_SCALE=10"], into: dir + "/ab.csv")
        let rows = try ResultReader(path: dir + "/ab.csv").rows
        var order: [String] = []
        for row in rows where order.last != "\(row.env)#\(row.process)" { order.append("\(row.env)#\(row.process)") }
        #expect(order == ["#1", "FTLAB_TINY_SCALE=10#1", "#2", "FTLAB_TINY_SCALE=10#2"])
        let slower = try ftlab(["compare", dir + "/ab.csv", "--base", "env=", "--new", "env=FTLAB_TINY_SCALE=10"])
        #expect(slower.status == 1, "stdout: \(slower.stdout) stderr: \(slower.stderr)")
        #expect(slower.stdout.contains("ab.csv [env=] -> ") && slower.stdout.contains("[env=FTLAB_TINY_SCALE=10]"))
        #expect(slower.stdout.contains("slower"))
        let oneSide = try ftlab(["compare", dir + "/ab.csv", "--base", "env="])
        #expect(oneSide.status == 2 && oneSide.stderr.contains("--base COLUMN=VALUE --new COLUMN=VALUE"))
        let missing = try ftlab(["compare", dir + "/ab.csv", "--base", "env=", "--new", "env=X=1"])
        #expect(missing.status == 2 && missing.stderr.contains("\"FTLAB_TINY_SCALE=10\""), "stderr: \(missing.stderr)")
        let badColumn = try ftlab(["compare", dir + "/ab.csv", "--base", "colour=red", "--new", "env="])
        #expect(badColumn.status == 2 && badColumn.stderr.contains("\"colour\" is not a configuration column"))
        let badEnv = try ftlab(["run", "tiny/sum", "--ab-env", "=1", "-o", dir + "/x.csv"])
        #expect(badEnv.status == 2 && badEnv.stderr.contains("\"=1\""))
    }

    @Test("merge joins two runs; bad inputs exit 2 naming the file")
    func merge() throws {
        let dir = TestPaths.scratch()
        try run([], into: dir + "/a.csv")
        try run([], into: dir + "/b.csv")
        let merged = try ftlab(["merge", dir + "/a.csv", dir + "/b.csv", "-o", dir + "/all.csv"])
        #expect(merged.status == 0, "stderr: \(merged.stderr)")
        let rows = try ResultReader(path: dir + "/all.csv").rows
        #expect(rows.count == 16 && Set(rows.map(\.runID)).count == 2)
        try "a,b\n1,2\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try ftlab(["merge", dir + "/a.csv", dir + "/bad.csv", "-o", dir + "/x.csv"])
        #expect(bad.status == 2 && bad.stderr.contains("bad.csv"))
        let exists = try ftlab(["merge", dir + "/a.csv", dir + "/b.csv", "-o", dir + "/all.csv"])
        #expect(exists.status == 2 && exists.stderr.contains("--force"))
    }
}

/// PIDs of processes whose command line contains `text`.
func processes(commandLineContaining text: String) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let cmdline = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
        return cmdline.contains(text) && !cmdline.contains("ftlab run")
    }
}

@Suite("The example workload in Workloads/README.md", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct ExampleWorkloadTests {
    @Test("Workloads/examples/json-roundtrip, copied to a temporary folder, runs and verifies on both builds")
    func example() throws {
        let csv = TestPaths.scratch() + "/example.csv"
        let mine = TestPaths.scratch("my-workloads")
        try FileManager.default.copyItem(atPath: TestPaths.builtinWorkloads + "/examples/json-roundtrip",
                                         toPath: mine + "/json-roundtrip")
        let run = try ftlab(["run", "json-roundtrip", "--workloads-dir", mine,
                             "--threads", "2", "-o", csv] + LoadSensitiveTests.RunIntegrationTests.tiny)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(rows.count == 4 && rows.allSatisfy { $0.status == .ok && $0.unit == "documents" })
    }
}
