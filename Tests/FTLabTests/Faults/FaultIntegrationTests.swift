import Foundation
import Testing
@testable import FTLabCore
import FTLabRunner

/// Faults met by a real `ftlab run` (the fault table in Sources/README.md names these tests).
@Suite("faults, end to end", .tags(.integration, .needsLab), .skippedInUnitRuns)
struct FaultIntegrationTests {
    /// A run of the tiny fixture workload: one process, two short samples.
    static func tinyRun(_ csv: String, threads: String = "1", processes: Int = 1) -> [String] {
        ["run", "tiny", "--workloads-dir", TestPaths.fixtures + "/workloads", "--python", PinnedPair.gil,
         "--threads", threads, "--processes", String(processes), "--samples", "2", "--warmups", "1", "--target-seconds", "0.02",
         "-o", csv, "--quiet"]
    }

    @Test("a second run on a file another run holds exits 2 at once, naming the holder, and writes nothing")
    func secondWriterRefused() throws {
        let csv = TestPaths.scratch() + "/held.csv"
        do {
            let lock = try OutputLock(for: csv)
            let second = try ftlab(Self.tinyRun(csv))
            #expect(second.status == 2)
            #expect(second.stderr.contains("is being written by another ftlab (pid \(getpid()))"), "stderr: \(second.stderr)")
            #expect(!FileManager.default.fileExists(atPath: csv))
            withExtendedLifetime(lock) {}
        }
        let afterwards = try ftlab(Self.tinyRun(csv))
        #expect(afterwards.status == 0, "stderr: \(afterwards.stderr)")
    }

    @Test("bad input prints one line and the help hint, not the usage banner")
    func noBannerAfterValidation() throws {
        let run = try ftlab(["run", "--threads", "0", "-o", TestPaths.scratch() + "/x.csv"])
        #expect(run.status == 2)
        #expect(run.stderr == "ftlab: error: bad --threads \"0\"; expected a comma-separated list of positive integers, e.g. 1,2,4\n"
                + "ftlab: See 'ftlab run --help' for more information.\n")
    }

    @Test("a --param value a batch workload refuses exits 2 before anything is measured, naming the value")
    func badBatchParameter() throws {
        let csv = TestPaths.scratch() + "/bad-param.csv"
        let run = try ftlab(["run", "log-processing/partitioned", "--python", PinnedPair.gil, "--threads", "1",
                             "--param", "lines=abc", "--quick", "-o", csv])
        #expect(run.status == 2)
        #expect(run.stderr.contains("ftlab: error: log-processing/partitioned: param 'lines' must be a positive integer, not 'abc'"),
                "stderr: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: csv))
    }

    @Test("the output's disk full: exit 2, one plain sentence, the rows before intact; --resume finishes elsewhere",
          .enabled(if: getuid() == 0, "mounts a tiny tmpfs (root)"))
    func diskFull() throws {
        let mountPoint = TestPaths.scratch() + "/tiny"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=8k", "tmpfs", mountPoint])
        try #require(mount.status == 0, "mount: \(mount.stderr)")
        defer { _ = try? runProgram("/bin/umount", [mountPoint]) }
        let csv = mountPoint + "/full.csv"
        // Enough rows to fill 8 KiB: 2 threads x 6 processes x 2 samples of ~600 bytes.
        let full = try ftlab(Self.tinyRun(csv, threads: "1,2", processes: 6))
        #expect(full.status == 2)
        #expect(full.stderr.contains("no space left on device for \(csv)"), "stderr: \(full.stderr)")
        #expect(full.stderr.contains("--resume"))
        #expect(!full.stderr.contains("NSCocoaErrorDomain"))
        let kept = try ResultReader(path: csv)
        #expect(!kept.rows.isEmpty)
        // Space freed (here: the file moved to a disk with room), the same command resumes.
        let roomy = TestPaths.scratch() + "/full.csv"
        try FileManager.default.copyItem(atPath: csv, toPath: roomy)
        let resumed = try ftlab(Self.tinyRun(roomy, threads: "1,2", processes: 6) + ["--resume"])
        #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
        let rows = try ResultReader(path: roomy).rows
        // tiny's two variants x threads 1,2 x 6 processes x 2 samples, each exactly once.
        #expect(rows.count == 2 * 2 * 6 * 2)
        #expect(Set(rows.map { "\($0.variant)/\($0.threads)/\($0.process)/\($0.sample)" }).count == rows.count)
    }

    @Test("--memory-limit: a workload that allocates without bound is a failed row \"out of memory\"; the suite goes on")
    func memoryLimit() throws {
        let csv = TestPaths.scratch() + "/memory.csv"
        let run = try ftlab(["run", "hog", "tiny/sum", "--workloads-dir", TestPaths.fixtures + "/workloads",
                             "--workloads-dir", TestPaths.fixtures + "/faulty-workloads", "--python", PinnedPair.gil,
                             "--threads", "1", "--processes", "1", "--samples", "2", "--warmups", "1",
                             "--target-seconds", "0.02", "--memory-limit", "512M", "-o", csv, "--quiet"])
        #expect(run.status == 1, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        let hog = try #require(rows.first { $0.workload == "hog" })
        #expect(hog.status == .failed)
        #expect(hog.message.hasPrefix("out of memory (over --memory-limit 512M): MemoryError"), "message: \(hog.message)")
        #expect(rows.filter { $0.workload == "tiny" }.allSatisfy { $0.status == .ok })
        #expect(rows.contains { $0.workload == "tiny" })
        let bad = try ftlab(["run", "tiny", "--memory-limit", "lots", "-o", TestPaths.scratch() + "/x.csv"])
        #expect(bad.status == 2 && bad.stderr.contains("bad --memory-limit \"lots\""), "stderr: \(bad.stderr)")
    }

    @Test("/dev/shm full (buffered-copy's folder): that process fails with \"No space\" in its row, its files are removed",
          .enabled(if: getuid() == 0, "mounts a tiny tmpfs (root)"))
    func scratchFull() throws {
        let mountPoint = TestPaths.scratch() + "/shm"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint])
        try #require(mount.status == 0, "mount: \(mount.stderr)")
        defer { _ = try? runProgram("/bin/umount", [mountPoint]) }
        let csv = TestPaths.scratch() + "/shm.csv"
        let run = try ftlab(["run", "buffered-copy/independent", "tiny/sum", "--workloads-dir", TestPaths.fixtures + "/workloads",
                             "--python", PinnedPair.gil, "--threads", "1", "--processes", "1", "--samples", "2",
                             "--warmups", "1", "--target-seconds", "0.02", "--param", "buffered-copy.file_size=2M",
                             "--param", "buffered-copy.dir=\(mountPoint)", "-o", csv, "--quiet"])
        #expect(run.status == 1, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        let copy = try #require(rows.first { $0.workload == "buffered-copy" })
        #expect(copy.status == .failed && copy.message.contains("No space left on device"), "message: \(copy.message)")
        #expect(rows.filter { $0.workload == "tiny" }.allSatisfy { $0.status == .ok })
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint).isEmpty, "the process's files are removed")
    }
}
