import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabHarness
@testable import FTLabRunner

/// Containment of the code ftlab measures, without an interpreter: bounded streams, capped
/// messages, params that cannot collide, one variant's manifest per process.
@Suite("containment: bounds and inputs")
struct ContainmentUnitTests {
    @Test("a capture keeps the first and the last MiB of a 5 MiB stream, marks the gap and counts it")
    func boundedCapture() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        let logPath = TestPaths.scratch() + "/stream.log"
        let log = open(logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(log >= 0)
        let capture = StreamCapture(reading: ends[0], headLimit: 1 << 20, tailLimit: 1 << 20, log: log)
        let line = Array(repeating: UInt8(ascii: "x"), count: 1023) + [10]
        let total = 5 << 20
        for index in 0..<(total / line.count) {
            var chunk = line
            chunk[0] = UInt8(ascii: "a") + UInt8(index % 26)
            _ = chunk.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
        }
        close(ends[1])
        let kept = capture.finish(within: 10)
        #expect(kept.head.count == 1 << 20 && kept.tail.count == 1 << 20)
        #expect(kept.dropped == total - (2 << 20))
        let data = try #require(FileManager.default.contents(atPath: logPath))
        let gap = StreamCapture.gapLine(dropped: kept.dropped, head: 1 << 20, tail: 1 << 20)
        #expect(data.count == (2 << 20) + gap.utf8.count)
        #expect(String(decoding: data, as: UTF8.self).contains("[ftlab: \(3 << 20) bytes of output dropped here; a log keeps the first 1 MiB and the last 1 MiB]"))
        // The last line written is the last line kept.
        #expect(data.suffix(1024).first == UInt8(ascii: "a") + UInt8((total / line.count - 1) % 26))
    }

    @Test("a row's message over 4 KiB keeps its start and end around a marked cut; a short one is unchanged")
    func cappedMessage() {
        let long = "START" + String(repeating: "m", count: 20_000_000) + "END"
        let capped = RowMaker.capped(long)
        #expect(capped.utf8.count <= RowMaker.messageLimit + 40)
        #expect(capped.hasPrefix("START") && capped.hasSuffix("END"))
        #expect(capped.contains("[... \(long.utf8.count - 3072 - 960) bytes cut ...]"))
        #expect(RowMaker.capped("short message") == "short message")
    }

    @Test("what a process left behind is named in its rows' message")
    func leftBehindNote() {
        let members = (1...7).map { ProcessGroup.Member(pid: pid_t(100 + $0), name: "sleep", state: "S") }
        #expect(RowMaker.leftBehindNote([]) == nil)
        #expect(RowMaker.leftBehindNote(Array(members.prefix(1))) == "left 1 process running when it exited (killed by ftlab): sleep (pid 101)")
        #expect(RowMaker.leftBehindNote(members)?.hasSuffix("sleep (pid 105) and 2 more") == true)
    }

    @Test("a ';' in a --param value is refused (exit 2), naming the value; other values are kept as given")
    func paramSeparator() throws {
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.fixtures + "/workloads")
        let tiny = try catalog.workload(named: "tiny")
        for text in ["n=1;m=2", "tiny.n=5;", "n=;"] {
            #expect(throws: WorkloadError.separatorInParameter(text)) {
                try ParameterSettings.parse([text], catalog: catalog, selection: [tiny])
            }
        }
        #expect(WorkloadError.separatorInParameter("n=1;m=2").exitCode == 2)
        #expect(WorkloadError.separatorInParameter("n=1;m=2").description.hasPrefix("bad --param \"n=1;m=2\": a value must not contain ';'"))
        #expect(try ParameterSettings.parse(["n=a=b,c d"], catalog: catalog, selection: [tiny]).values(for: tiny) == ["n": "a=b,c d"])
    }

    @Test("a manifest whose parameter name or default could be read two ways is refused")
    func manifestSeparators() {
        let head = "name = \"w\"\ndescription = \"d\"\nquestion = \"q\"\nunit = \"ops\"\n[[variants]]\nname = \"v\"\nquestion = \"q\"\n"
        let cases = [("a;b", "1", "must not be empty or contain ';' or '='"), ("a=b", "1", "must not be empty or contain"),
                     ("a", "1;b=2", "its default \"1;b=2\" must not contain ';'")]
        for (name, value, reason) in cases {
            let text = head + "[[params]]\nname = \"\(name)\"\ndefault = \"\(value)\"\ndescription = \"p\"\n"
            #expect {
                _ = try WorkloadManifest.parse(text, path: "w.toml")
            } throws: { error in
                "\(error)".contains(reason)
            }
        }
    }

    @Test("each process gets its own variant's share of the manifest: 10,000 variants fit the environment")
    func oneVariantManifest() throws {
        var text = "name = \"many\"\ndescription = \"d\"\nquestion = \"q\"\nunit = \"ops\"\n"
        for index in 0..<10_000 { text += "[[variants]]\nname = \"v\(index)\"\nquestion = \"Variant \(index) of very many.\"\n" }
        let manifest = try WorkloadManifest.parse(text, path: "many.toml")
        #expect(manifest.harnessJSON.utf8.count > 128 << 10)
        let one = manifest.harnessJSON(variant: "v9999")
        #expect(one.utf8.count < 1024)
        #expect(one.contains(#""variants":[{"name":"v9999","question":"Variant 9999 of very many."}]"#))
        // A manifest too big even for one variant is refused when it is loaded.
        let huge = "name = \"w\"\ndescription = \"\(String(repeating: "d", count: 200_000))\"\nquestion = \"q\"\nunit = \"ops\"\n"
            + "[[variants]]\nname = \"v\"\nquestion = \"q\"\n"
        #expect {
            _ = try WorkloadManifest.parse(huge, path: "w.toml")
        } throws: { error in
            "\(error)".contains("over the 100 KiB a process's manifest may take")
        }
    }
}

/// Process groups with real programs (no interpreter needed).
@Suite("containment: process groups", .tags(.integration), .skippedInUnitRuns)
struct ProcessGroupTests {
    @Test("a measured process's group is ended with it: what it left running is named, killed and gone")
    func leftBehindIsKilled() async throws {
        let log = TestPaths.scratch() + "/sh.log"
        // The shell starts two sleeps in its group and exits at once; the sleeps hold stderr open.
        let spec = ProcessSpec(executable: "/bin/sh", arguments: ["-c", "sleep 600 & sleep 600 & echo started >&2"],
                               timeoutSeconds: 30, stderrLogPath: log)
        let result = try await ProcessRunner.run(spec)
        #expect(result.ending == .exited(0))
        #expect(result.leftBehind.count == 2 && result.leftBehind.allSatisfy { $0.name == "sleep" }, "left: \(result.leftBehind)")
        #expect(result.stderrTail == "started")
        for member in result.leftBehind { #expect(gone(member.pid), "pid \(member.pid) is still running") }
    }

    @Test("a helper tool's group ends with it, and its captured output leaves no temporary file")
    func helperGroup() async throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("ftlab-tool-") }
        let outcome = try #require(await HostCommand("/bin/sh", ["-c", "sleep 600 & echo $$"]).run())
        let pid = try #require(pid_t(outcome.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessGroup.members(pid).filter { $0.state != "Z" }.isEmpty, "the helper's sleep was killed")
        let after = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("ftlab-tool-") }
        #expect(Set(after).subtracting(before).isEmpty)
    }
}

/// The hostile fixture workloads, run as a new user's code would be (README, "When things go wrong").
@Suite("containment: hostile workloads, end to end", .serialized, .tags(.integration, .needsLab), .skippedInUnitRuns)
struct HostileWorkloadTests {
    static let fixtures = TestPaths.fixtures + "/hostile-workloads"
    static let small = ["--threads", "1", "--processes", "1", "--samples", "1", "--warmups", "1", "--batch", "1", "--quiet"]

    @Test("every hostile variant ends as the fault table says, nothing is left running, no file passes the caps")
    func hostileSuite() throws {
        let csv = TestPaths.scratch() + "/hostile.csv"
        let run = try ftlab(["run", "hostile", "--workloads-dir", Self.fixtures, "--python", PinnedPair.gil, "-o", csv] + Self.small)
        #expect(run.status == 1, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        let byVariant = Dictionary(rows.map { ($0.variant, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(Set(byVariant.keys) == ["fork", "popen", "spin", "signals", "flood", "huge-checksum", "negative-ops", "huge-ops",
                                        "none-checksum", "-rf"])
        func row(_ variant: String) throws -> ResultRow { try #require(byVariant[variant]) }

        // Processes left behind: the row stays ok (its figures are its own) and names them.
        let fork = try row("fork"), popen = try row("popen"), spin = try row("spin")
        #expect(fork.status == .ok && fork.message.hasPrefix("left 1 process running when it exited (killed by ftlab): python"), "\(fork.message)")
        #expect(popen.status == .ok && popen.message.hasPrefix("left 3 processes running when it exited (killed by ftlab): sleep (pid "),
                "\(popen.message)")
        #expect(spin.status == .ok && spin.message.hasPrefix("left 1 process running when it exited (killed by ftlab): python"), "\(spin.message)")
        for message in [fork.message, popen.message, spin.message] {
            for pid in Self.pids(in: message) { #expect(gone(pid), "pid \(pid) (\(message)) is still running") }
        }
        #expect(processes(commandLineContaining: "hostile-workloads").isEmpty, "no harness of the run is left")

        // Signals as Python expects them: the workload checks its own masks and a child's, and terminate().
        let signals = try row("signals")
        #expect(signals.status == .ok, "\(signals.message)")

        // Checked values, each a failed row saying what was returned.
        let negative = try row("negative-ops"), huge = try row("huge-ops"), none = try row("none-checksum")
        #expect(negative.status == .failed && negative.message.hasPrefix("ValueError: run() on thread 0 returned -1; expected the ops it completed, 0 to 2**53"),
                "\(negative.message)")
        #expect(huge.status == .failed && huge.message.hasPrefix("ValueError: run() on thread 0 returned 1000000000000000000000000000000;"),
                "\(huge.message)")
        #expect(none.status == .failed
                && none.message.hasPrefix("TypeError: verify() returned checksum None and expected None; both must be str"), "\(none.message)")

        // Bounded: a 10 MB failing checksum makes a short message; a flood makes a bounded log.
        let checksum = try row("huge-checksum")
        #expect(checksum.status == .failed && checksum.message.hasPrefix("output verification failed (checksum ccc"))
        #expect(checksum.message.contains("characters cut ...]") && checksum.message.utf8.count <= RowMaker.messageLimit + 40)
        #expect(try row("flood").status == .ok)
        #expect(try row("-rf").status == .ok, "a variant named -rf runs like any other")

        let logs = csv.replacingOccurrences(of: ".csv", with: ".logs")
        let logNames = try FileManager.default.contentsOfDirectory(atPath: logs).filter { $0.hasSuffix(".log") }
        let flood = try #require(logNames.first { $0.hasPrefix("hostile_flood") })
        let floodLog = try #require(FileManager.default.contents(atPath: logs + "/" + flood))
        #expect(String(decoding: floodLog, as: UTF8.self).contains("bytes of output dropped here; a log keeps the first 1 MiB and the last 1 MiB]"))
        for name in logNames {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: logs + "/" + name)[.size] as? Int)
            #expect(size <= (2 << 20) + 200, "\(name): \(size) bytes")
        }
        let csvSize = try #require(try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int)
        #expect(csvSize < 64 << 10, "the CSV of 10 rows is \(csvSize) bytes")
    }

    @Test("a ';' in a param value exits 2 before anything runs, naming the value")
    func paramSeparator() throws {
        let csv = TestPaths.scratch() + "/separator.csv"
        let run = try ftlab(["run", "hostile/-rf", "--workloads-dir", Self.fixtures, "--python", PinnedPair.gil,
                             "--param", "tag=a;b=2", "-o", csv] + Self.small)
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad --param \"tag=a;b=2\": a value must not contain ';'"), "stderr: \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: csv))
    }

    @Test("a workload with 10,000 variants runs (its first and last variant)")
    func tenThousandVariants() throws {
        let folder = TestPaths.scratch() + "/many"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var toml = "name = \"many\"\ndescription = \"10,000 variants.\"\nquestion = \"Does it run?\"\nunit = \"ops\"\n"
        for index in 0..<10_000 {
            toml += "\n[[variants]]\nname = \"v\(index)\"\nquestion = \"Variant number \(index) of a workload with very many variants.\"\n"
        }
        try toml.write(toFile: folder + "/workload.toml", atomically: true, encoding: .utf8)
        try """
        class Count:
            def __init__(self):
                self.done = 0

            def prepare(self):
                pass

            def run(self, thread_index, batch):
                self.done += batch
                return batch

            def verify(self):
                return True, str(self.done), str(self.done)


        def create(variant, threads, params, seed):
            return Count()

        """.write(toFile: folder + "/workload.py", atomically: true, encoding: .utf8)
        let csv = TestPaths.scratch() + "/many.csv"
        let run = try ftlab(["run", "many/v0", "many/v9999", "--workloads-dir", (folder as NSString).deletingLastPathComponent,
                             "--python", PinnedPair.gil, "-o", csv] + Self.small)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let rows = try ResultReader(path: csv).rows
        #expect(rows.map(\.variant).sorted() == ["v0", "v9999"] && rows.allSatisfy { $0.status == .ok })
    }

    @Test("SIGTERM to ftlab while it makes a venv: ftlab exits 130 and the venv's processes end with it, no temporary file left")
    func interruptedVenv() async throws {
        let python = try TestPaths.labPython(.gil)
        let tools = { try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("ftlab-tool-") } }
        let toolsBefore = Set(try tools())
        // The venv runs for a few seconds; when the tests run side by side on 2 CPUs that window
        // was missed now and then (the cause is not known yet): such an attempt is made again
        // with a fresh cache, and what ftlab said is kept for the failure message.
        var attempt: (process: Process, venvs: String)?
        var said: [String] = []
        for _ in 1...3 {
            let scratch = TestPaths.scratch()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: TestPaths.ftlab)
            process.arguments = ["run", "unresolvable", "--workloads-dir", TestPaths.fixtures + "/package-workloads", "--python", python,
                                 "--threads", "1", "-o", scratch + "/x.csv"]
            // A cache of its own: the venv is made afresh.
            process.environment = ProcessInfo.processInfo.environment.merging(["XDG_CACHE_HOME": scratch + "/cache"]) { _, new in new }
            let stderrPath = scratch + "/stderr"
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
            let venvs = scratch + "/cache/ftlab/venvs"
            // Planning comes first (probing the interpreter, the catalog): slow under load.
            if try await waitFor(seconds: 60, { processes(commandLineContaining: venvs).first }) != nil {
                attempt = (process, venvs)
                break
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            said.append((try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
        }
        let (process, venvs) = try #require(attempt, "ftlab never started `python -m venv`; it said: \(said)")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        // Once they are gone, nothing finished the venv: ensurepip (which runs for seconds after
        // `python -m venv` starts) was killed before it installed pip.
        _ = try await waitFor { processes(commandLineContaining: venvs).isEmpty ? true : nil }
        #expect(processes(commandLineContaining: venvs).isEmpty)
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: venvs)) ?? []
        for folder in folders {
            #expect(!FileManager.default.fileExists(atPath: "\(venvs)/\(folder)/venv/bin/pip"), "ensurepip finished in \(folder)")
        }
        #expect(Set(try tools()).subtracting(toolsBefore).isEmpty, "no ftlab-tool-* file is left")
    }

    /// The pids a left-behind message names (`... (pid 123)`).
    static func pids(in message: String) -> [Int32] {
        message.components(separatedBy: "(pid ").dropFirst().compactMap { Int32($0.prefix { $0.isNumber }) }
    }
}

/// True when `pid` no longer runs: no such process, or one that exited and awaits its reaper.
func gone(_ pid: Int32) -> Bool {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return true }
    let text = String(decoding: data, as: UTF8.self)
    guard let close = text.lastIndex(of: ")") else { return true }
    return text[text.index(after: close)...].split(separator: " ").first == "Z"
}
