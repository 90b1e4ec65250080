import Foundation
import Testing
import FTLabCore

/// `ftlab bundle` end to end: packed with this ftlab and the free-threaded lab build, unpacked
/// under another path, run from there (its rows carry the bundle id), and refused once changed.
@Suite("ftlab bundle", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct BundleIntegrationTests {
    @Test("a bundle unpacked elsewhere runs a tiny workload on its own python, records its id, and refuses changed files")
    func packUnpackRunTamper() throws {
        let dir = TestPaths.scratch()
        let archive = dir + "/pack/ftlab.tar.xz"
        try FileManager.default.createDirectory(atPath: dir + "/pack", withIntermediateDirectories: true)
        let pack = try ftlab(["bundle", "-o", archive, "--python", PinnedPair.freeThreaded])
        try #require(pack.status == 0, "stderr: \(pack.stderr)")
        #expect(pack.stdout.contains("jemalloc") && pack.stdout.contains("id "))

        let elsewhere = dir + "/unpacked/other place"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        let untar = try runProgram("/usr/bin/tar", ["-xJf", archive, "-C", elsewhere])
        try #require(untar.status == 0, "stderr: \(untar.stderr)")
        let top = elsewhere + "/ftlab-bundle-\(FTLabVersion.current)"
        let prefix = "\(top)/pythons/\(PinnedPair.freeThreaded)"
        let name = "python\(PinnedPair.series)t"
        #expect(!FileManager.default.fileExists(atPath: prefix + "/lib/\(name)/test"))
        #expect(!FileManager.default.fileExists(atPath: prefix + "/lib/lib\(name).a"))

        // The copied python finds its stdlib from where it now lies, not from its build prefix.
        let probe = try runProgram(prefix + "/bin/\(name)", ["-c", "import sys, json; print(sys.prefix)"])
        #expect(probe.status == 0 && probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == prefix, "\(probe)")

        let csv = dir + "/bundle.csv"
        let run = try runProgram(top + "/ftlab", ["run", "tiny/sum", "--workloads-dir", TestPaths.fixtures + "/workloads",
                                                  "--python", PinnedPair.freeThreaded, "--threads", "1", "--quick",
                                                  "--processes", "1", "--samples", "2", "--target-seconds", "0.03",
                                                  "--quiet", "-o", csv])
        try #require(run.status == 0, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        let id = BundleHome(root: top).id()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.bundle == id && $0.status == .ok && $0.interpreter == PinnedPair.freeThreaded })
        #expect(id.count == 64)

        let verified = try ftlab(["bundle", "--verify", top])
        #expect(verified.status == 0, "stderr: \(verified.stderr)")

        // Same size, other bytes: only --verify's sha256 sees it.
        let os = prefix + "/lib/\(name)/os.py"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: os))
        bytes[bytes.count - 1] = bytes[bytes.count - 1] == 0x0A ? 0x20 : 0x0A
        try bytes.write(to: URL(fileURLWithPath: os))
        let caught = try ftlab(["bundle", "--verify", top])
        #expect(caught.status == 2 && caught.stderr.contains("pythons/\(PinnedPair.freeThreaded)/lib/\(name)/os.py"), "\(caught)")

        // A changed corpus file: every start refuses, naming it.
        let workload = top + "/Workloads/log-processing/workload.py"
        let handle = try #require(FileHandle(forWritingAtPath: workload))
        handle.seekToEndOfFile()
        handle.write(Data("# changed\n".utf8))
        try handle.close()
        let refused = try runProgram(top + "/ftlab", ["list"])
        #expect(refused.status == 2 && refused.stderr.contains("Workloads/log-processing/workload.py"), "\(refused)")
    }
}
