import Foundation
import Testing
import FTLabCore
import FTLabHarness
import FTLabRunner

/// An ftlab installed from the wheel lies in `<prefix>/bin` and finds its corpus and `lab/`
/// files in `<prefix>/share/ftlab`, from any current directory.
@Suite("The installed ftlab's data folder")
struct InstalledDataTests {
    @Test("<prefix>/bin/ftlab looks in <prefix>/share/ftlab, after the current directory and before its own folder")
    func searchStarts() {
        #expect(CheckoutFile.installedData(executable: "/home/u/.venv/bin/ftlab") == "/home/u/.venv/share/ftlab")
        #expect(CheckoutFile.searchStarts(currentDirectory: "/tmp/x", executable: "/usr/local/bin/ftlab")
            == ["/tmp/x", "/usr/local/share/ftlab", "/usr/local/bin"])
    }

    @Test("an installed layout resolves Workloads/ and lab/pythons.toml from an unrelated current directory")
    func locatesInstalledFiles() throws {
        let prefix = TestPaths.scratch()
        let data = prefix + "/share/ftlab"
        let elsewhere = TestPaths.scratch("elsewhere")
        defer { try? FileManager.default.removeItem(atPath: prefix); try? FileManager.default.removeItem(atPath: elsewhere) }
        for folder in ["/bin", "/share/ftlab/Workloads/_harness", "/share/ftlab/lab"] {
            try FileManager.default.createDirectory(atPath: prefix + folder, withIntermediateDirectories: true)
        }
        for file in ["/bin/ftlab", "/share/ftlab/Workloads/_harness/run.py", "/share/ftlab/lab/pythons.toml"] {
            #expect(FileManager.default.createFile(atPath: prefix + file, contents: Data()))
        }
        let executable = prefix + "/bin/ftlab"

        let workloads = WorkloadCatalog.locateBuiltinDirectory(environment: [:], executable: executable, currentDirectory: elsewhere)
        #expect(workloads == data + "/Workloads")
        let starts = CheckoutFile.searchStarts(currentDirectory: elsewhere, executable: executable)
        #expect(CheckoutFile.locate("lab/pythons.toml", from: starts) == data + "/lab/pythons.toml")
        // FTLAB_WORKLOADS still wins.
        #expect(WorkloadCatalog.locateBuiltinDirectory(environment: ["FTLAB_WORKLOADS": "/w"], executable: executable,
                                                       currentDirectory: elsewhere) == "/w")
    }
}
