import Foundation
import Testing
import FTLabCore
import FTLabRunner

extension LoadSensitiveTests {
    /// buffered-copy end to end on the lab pair: every variant verifies, and its verifier
    /// catches copies broken on purpose. Tiny files; no timing asserts.
    @Suite("buffered-copy, end to end", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
    struct BufferedCopyIntegrationTests {
        static let tinyFiles = ["--param", "file_size=64K", "--param", "chunk_size=1K", "--param", "buffer_size=8K"]

        /// A fresh folder on tmpfs (/dev/shm) when there is one, for the workload's `dir`.
        static func fileFolder() throws -> String {
            let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
            let path = base + "/ftlab-tests-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }

        @Test("every variant on both builds at 1 and 2 threads: output verified, files removed")
        func everyVariant() throws {
            let csv = TestPaths.scratch() + "/copy.csv"
            let folder = try Self.fileFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let run = try ftlab(["run", "buffered-copy", "--threads", "1,2", "--param", "dir=\(folder)", "-o", csv]
                                + Self.tinyFiles + RunIntegrationTests.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            #expect(rows.count == 4 * 2 * 2 * 2)  // 4 variants x 2 builds x 2 thread counts x 2 samples
            #expect(Set(rows.map(\.variant)) == ["independent", "shared-writer", "shared-reader", "copyfileobj"])
            #expect(Set(rows.map(\.build)) == ["gil", "freethreaded"])
            for row in rows {
                #expect(row.status == .ok, "\(row.variant) \(row.interpreter) x\(row.threads): \(row.message)")
                #expect(row.unit == "bytes" && row.ops > 0 && row.throughput > 0)
                #expect(row.observedCPUs == row.cpus, "threads ran where planned")
            }
            #expect(run.stdout.contains("buffered-copy / shared-writer"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "cleanup() removed every file")
        }

        @Test("the verifier catches a skipped, repeated, torn or lost chunk")
        func verifierCatchesBrokenCopies() throws {
            let python = PinnedPair.executable(.gil)
            let run = try runProgram(python, [TestPaths.fixtures + "/buffered-copy-verifier.py", TestPaths.builtinWorkloads + "/buffered-copy"])
            #expect(run.status == 0, "stdout: \(run.stdout) stderr: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 12)
            #expect(lines.filter { $0.contains("caught") }.count == 8)
            #expect(lines.allSatisfy { $0.hasPrefix("ok ") }, "\(run.stdout)")
        }

        @Test("a worker that fails after prepare() still gets cleanup() called")
        func cleanupAfterFailure() throws {
            let csv = TestPaths.scratch() + "/cleanup.csv"
            let folder = TestPaths.scratch("files")
            let run = try ftlab(["run", "cleans-up", "--workloads-dir", TestPaths.fixtures + "/faulty-workloads",
                                 "--python", PinnedPair.freeThreaded, "--threads", "2", "--param", "dir=\(folder)", "-o", csv]
                                + RunIntegrationTests.tiny)
            #expect(run.status == 1)
            let row = try #require(try ResultReader(path: csv).rows.first)
            #expect(row.status == .failed && row.message.contains("RuntimeError: worker failed after prepare() left a file at workload.py:13"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "cleanup() ran before the process exited")
        }
    }
}
