import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabRunner

/// The user's own workloads when they are broken: every problem names its file and line,
/// and the rest of the suite runs.
@Suite("Broken user workloads", .serialized, .tags(.integration), .skippedInUnitRuns)
struct UserWorkloadTests {
    static let fixtures = TestPaths.fixtures

    @Test("an import error, a worker exception and a wrong checksum fail their processes; a broken manifest is skipped; the rest runs",
          .tags(.needsLab), .skippedInUnitRuns)
    func brokenOnesDoNotStopTheSuite() throws {
        let csv = TestPaths.scratch() + "/broken.csv"
        let run = try ftlab(["run", "import-error", "raises", "lies", "tiny/sum",
                             "--workloads-dir", Self.fixtures + "/broken-workloads",
                             "--workloads-dir", Self.fixtures + "/faulty-workloads",
                             "--workloads-dir", Self.fixtures + "/workloads",
                             "--python", PinnedPair.gil, "--threads", "2", "-o", csv] + LoadSensitiveTests.RunIntegrationTests.tiny)
        #expect(run.status == 1, "some process failed: exit 1")
        #expect(run.stderr.contains("missing-field/workload.toml:10: missing field `question` in [[variants]] #2"), "\(run.stderr)")
        #expect(run.stderr.contains("bad-toml/workload.toml:6:"), "\(run.stderr)")
        let rows = Dictionary(grouping: try ResultReader(path: csv).rows, by: \.workload)
        let imported = try #require(rows["import-error"]?.first)
        #expect(imported.status == .failed)
        #expect(imported.message.hasPrefix("ModuleNotFoundError: No module named 'no_such_module_for_ftlab_tests' at workload.py:3"))
        let raised = try #require(rows["raises"]?.first)
        #expect(raised.message.hasPrefix("ValueError: thread 0 broke on purpose at workload.py:7"))
        let lied = try #require(rows["lies"]?.first)
        #expect(lied.message.contains("verify() at workload.py:12: the workload's output does not match"), "\(lied.message)")
        #expect(rows["tiny"]?.allSatisfy { $0.status == .ok } == true, "the good workload still ran")
    }

    @Test("selecting a broken workload exits 2 with its file and line", .tags(.needsLab), .skippedInUnitRuns, arguments: [
        ("missing-field", "missing-field/workload.toml:10: missing field `question` in [[variants]] #2"),
        ("bad-toml", "bad-toml/workload.toml:6: "),
    ])
    func selectingBroken(name: String, message: String) throws {
        let run = try ftlab(["run", name, "--workloads-dir", Self.fixtures + "/broken-workloads",
                             "-o", TestPaths.scratch() + "/x.csv"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("ftlab: error: bad workload manifest") && run.stderr.contains(message), "\(run.stderr)")
    }

    @Test("ftlab list shows every workload and variant with unit, parameters and question, and the broken ones")
    func list() throws {
        let run = try ftlab(["list", "--workloads-dir", Self.fixtures + "/broken-workloads"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads)
        for workload in catalog.workloads {
            #expect(run.stdout.contains("\(workload.name)  [\(workload.manifest.unit)/s]"))
            #expect(run.stdout.contains("asks: \(workload.manifest.question)"))
            for variant in workload.manifest.variants {
                #expect(run.stdout.contains("\(workload.name)/\(variant.name)") && run.stdout.contains(variant.question))
            }
            for param in workload.manifest.params { #expect(run.stdout.contains("\(param.name)=\(param.default)")) }
        }
        #expect(catalog.workloads.map(\.name).contains("buffered-copy"))
        #expect(run.stdout.contains("[also native-swift]"))
        #expect(run.stdout.contains("broken workloads (skipped by `ftlab run`):"))
        #expect(run.stdout.contains("missing-field/workload.toml:10"))
        let json = try ftlab(["list", "--format", "json", "--workloads-dir", Self.fixtures + "/broken-workloads"])
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(listing["schema"] as? String == "ftlab.list/1")
        let entries = try #require(listing["workloads"] as? [[String: Any]])
        let copy = try #require(entries.first { $0["name"] as? String == "buffered-copy" })
        #expect(copy["unit"] as? String == "bytes")
        let variants = try #require(copy["variants"] as? [[String: Any]])
        #expect(variants.map { $0["native"] as? Bool } == [true, false, false, false])
        let broken = try #require(listing["broken"] as? [[String: String]])
        #expect(broken.contains { $0["name"] == "missing-field" && $0["problem"]?.contains("missing-field/workload.toml:10") == true })
        #expect((copy["params"] as? [[String: String]])?.compactMap { $0["name"] } == ["file_size", "buffer_size", "chunk_size", "dir", "impl"])
    }
}
