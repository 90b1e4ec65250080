import Foundation
import Testing
import FTLabFuzzEntries
import FTLabRunner

/// Every input a fuzz target (Tests/Fuzz) once crashed, hung or ran out of memory on, replayed
/// through the same entry: each must now return (a trap would end the test process). The
/// inputs live in Fixtures/fuzz-regressions/TARGET, named crash-HASH-WHAT.
@Suite struct FuzzRegressionTests {
    static let root = TestPaths.fixtures + "/fuzz-regressions"

    /// The committed inputs of `entry`'s target.
    static func inputs(_ entry: FuzzEntry) -> [String] {
        let folder = root + "/" + entry.rawValue
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    @Test("each committed fuzz input replays through its entry and returns", arguments: FuzzEntry.allCases)
    func replays(entry: FuzzEntry) throws {
        for path in Self.inputs(entry) {
            let data = try #require(FileManager.default.contents(atPath: path), "\(path) cannot be read")
            entry.run(Array(data))
        }
    }

    @Test("every folder under fuzz-regressions names a fuzz target")
    func foldersNameTargets() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root).filter { !$0.hasPrefix(".") }
        #expect(Set(folders).isSubset(of: FuzzEntry.allCases.map(\.rawValue)))
    }
}
