import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabBuilds

/// The container lab end to end: `make test-lab` sets FTLAB_LAB_TESTS=1 (root, network to the
/// Debian archive, bubblewrap and mmdebstrap, and the static release binary). Cold, this builds
/// the rootfs and the pair inside it (minutes); with the cache warm it verifies and reuses them.
@Suite("The container lab, end to end", .serialized, .tags(.integration, .network), .skippedInUnitRuns,
       .enabled(if: ProcessInfo.processInfo.environment["FTLAB_LAB_TESTS"] == "1", "run with make test-lab"))
struct ContainerTests {
    /// The release build with the Swift runtime linked in (`make build`).
    static let release = TestPaths.repository + "/.build/release/ftlab"

    @Test("log-processing --quick inside the lab: threads pinned, memory bound, allocator swapped, lab recorded")
    func quickRunInside() async throws {
        let build = try ftlab(["lab", "rootfs", "--ftlab", Self.release])
        try #require(build.status == 0, "lab rootfs: \(build.stdout)\n\(build.stderr)")
        let id = try ContainerRootfs().recordedSHA256()

        let results = TestPaths.scratch("lab-results")
        let csv = results + "/lab.csv"
        let run = try ftlab(["lab", "run", "--results", results, "--", "ftlab", "run", "log-processing", "--quick", "--threads", "1,2",
                             "--placement", "node:0", "--allocator", "jemalloc", "-o", csv])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        let expected = 3 * 2 * 2 * 3 * 5  // variants x builds x threads 1,2 x processes x samples
        #expect(rows.count == expected)
        for row in rows {
            #expect(row.status == .ok, "\(row.message)")
            #expect(row.lab == id)
            #expect(!row.cpus.isEmpty && row.observedCPUs == row.cpus, "threads ran where planned")
            #expect(row.memNodes == "0", "memory bound to node 0")
            #expect(row.allocator == "jemalloc" && row.allocatorVerified, "LD_PRELOAD took effect")
            #expect(row.pythonVersion == PinnedPair.version && PinnedPair.labels.contains(row.interpreter))
            #expect(row.suiteRev != "unknown", "the corpus copied into the lab keeps its revision")
        }
        #expect(Set(rows.map(\.build)) == ["gil", "freethreaded"])
    }

    @Test("a second build of the rootfs gives the same sha256")
    func reproducible() throws {
        let check = try ftlab(["lab", "rootfs", "--ftlab", Self.release, "--check-reproducible"])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        #expect(check.stderr.contains("rootfs: reproducible (two builds have the same sha256 "))
    }
}
