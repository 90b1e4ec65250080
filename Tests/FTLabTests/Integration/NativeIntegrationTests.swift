import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabRunner

extension LoadSensitiveTests {
    /// native-swift end to end: `ftlab run --python native-swift` and `ftlab _native` itself.
    @Suite("native-swift, end to end", .serialized, .tags(.integration), .skippedInUnitRuns)
    struct NativeIntegrationTests {
        static let smallInputs = ["--param", "lines=2000"] + BufferedCopyIntegrationTests.tinyFiles

        @Test("both native ceilings at 1 and 2 threads verify, pinned, in the same CSV columns")
        func ceilings() throws {
            let csv = TestPaths.scratch() + "/native.csv"
            let run = try ftlab(["run", "log-processing/partitioned", "buffered-copy/independent", "--python", "native-swift",
                                 "--threads", "1,2", "-o", csv] + Self.smallInputs + RunIntegrationTests.tiny)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let rows = try ResultReader(path: csv).rows
            #expect(rows.count == 2 * 2 * 2)  // 2 workloads x 2 thread counts x 2 samples
            for row in rows {
                #expect(row.status == .ok, "\(row.workload) x\(row.threads): \(row.message)")
                #expect(row.interpreter == "native-swift" && row.build == "native" && row.gilEnabled == false)
                #expect(row.pythonVersion.isEmpty && row.allocator == "system" && row.allocatorVerified)
                #expect(row.observedCPUs == row.cpus, "threads ran where planned")
                #expect(row.ops > 0 && row.maxRSSKiB > 0)
            }
            #expect(Set(rows.map(\.unit)) == ["lines", "bytes"])
            #expect(run.stdout.contains("native-swift"))
        }

        @Test("for the same work, native and Python report the same checksum", .tags(.needsLab), .skippedInUnitRuns,
              arguments: [["log-processing", "partitioned", "--param", "lines=2000"],
                          ["buffered-copy", "independent"] + BufferedCopyIntegrationTests.tinyFiles])
        func sameChecksum(arguments: [String]) throws {
            let fixed = ["--workload-dir", TestPaths.builtinWorkloads + "/" + arguments[0], "--variant", arguments[1],
                         "--threads", "2", "--samples", "2", "--warmups", "1", "--batch", "1500", "--seed", "5"] + arguments.dropFirst(2)
            let python = PinnedPair.executable(.freethreaded)
            let byPython = try runProgram(python, [TestPaths.builtinWorkloads + "/_harness/run.py"] + fixed)
            let byNative = try ftlab(["_native"] + fixed)
            let pythonBye = try #require(Self.bye(byPython.stdout), "stderr: \(byPython.stderr)")
            let nativeBye = try #require(Self.bye(byNative.stdout), "stderr: \(byNative.stderr)")
            #expect(byPython.status == 0 && byNative.status == 0)
            #expect(pythonBye.verified && nativeBye.verified)
            #expect(nativeBye.checksum == pythonBye.checksum)
            #expect(nativeBye.expected == pythonBye.expected)
        }

        @Test("`ftlab _native` refuses bad arguments on the protocol, exit 2", arguments: [
            (["--variant", "shared-lock"], "UsageError: native-swift has no implementation of log-processing/shared-lock"),
            (["--variant", "nope"], "UsageError: unknown variant 'nope' for log-processing"),
            (["--variant", "partitioned", "--param", "bogus=1"], "UsageError: unknown param 'bogus' for log-processing"),
            (["--variant", "partitioned", "--cpus", "0,1"], "UsageError: --cpus needs one CPU id (>= 0) per thread"),
        ])
        func badArguments(extra: [String], message: String) throws {
            let run = try ftlab(["_native", "--workload-dir", TestPaths.builtinWorkloads + "/log-processing", "--threads", "1",
                                 "--samples", "1", "--warmups", "0"] + extra)
            #expect(run.status == 2)
            let (transcript, protocolError) = HarnessTranscript.parse(run.stdout)
            #expect(protocolError == nil)
            #expect(transcript.failure?.message.hasPrefix(message) == true, "stdout: \(run.stdout)")
        }

        static func bye(_ output: String) -> HarnessBye? {
            HarnessTranscript.parse(output).0.bye
        }
    }
}
