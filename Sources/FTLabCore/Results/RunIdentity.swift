import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The identity columns shared by every row of one run: which run, which machine, which suite.
public struct RunIdentity: Sendable, Equatable {
    public var runID: String
    public var startedUTC: String
    public var host: String
    public var cpuModel: String
    public var kernel: String
    public var numaNodes: Int
    public var cpusOnline: Int
    public var smt: Bool
    public var suiteRev: String
    /// The container lab's id (its rootfs sha256) when ftlab runs inside it, else empty.
    public var lab: String
    /// The machine's state at the start of the run (governor, boost, ASLR, THP, load, ...).
    public var machine: MachineState
    /// The ftlab release that measured (`FTLabVersion.current`).
    public var ftlabVersion: String
    /// `I/N` for a sharded run (`--shard`), else empty.
    public var shard: String = ""
    /// The whole plan's short hash for a sharded run, else empty.
    public var planID: String = ""
    /// The id of the unpacked `ftlab bundle` ftlab runs from (the sha256 of its MANIFEST.json), else empty.
    public var bundle: String = BundleHome.currentID

    public init(runID: String, startedUTC: String, host: String, cpuModel: String, kernel: String,
                numaNodes: Int, cpusOnline: Int, smt: Bool, suiteRev: String, lab: String = "",
                machine: MachineState = MachineState(), ftlabVersion: String = FTLabVersion.current) {
        self.runID = runID
        self.startedUTC = startedUTC
        self.host = host
        self.cpuModel = cpuModel
        self.kernel = kernel
        self.numaNodes = numaNodes
        self.cpusOnline = cpusOnline
        self.smt = smt
        self.suiteRev = suiteRev
        self.lab = lab
        self.machine = machine
        self.ftlabVersion = ftlabVersion
    }

    /// A new run id: UTC start time plus a random suffix, e.g. `20261127T031500Z-3f9a`.
    public static func newRunID(at date: Date = Date()) -> (id: String, startedUTC: String) {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        let started = iso.string(from: date)
        let compact = started.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return ("\(compact)-\(suffix)", started)
    }

    /// The kernel release (`uname -r`).
    public static func kernelRelease() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.release) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    /// The host name.
    public static func hostName() -> String {
        ProcessInfo.processInfo.hostName
    }

    /// Where the container lab records its id (inside the rootfs).
    public static let labIDFile = "/etc/ftlab-lab-id"

    /// The lab id that `file` carries (written into the lab by `ftlab lab rootfs` or the
    /// Containerfile); empty outside the lab.
    public static func labID(file: String = labIDFile) -> String {
        guard let data = FileManager.default.contents(atPath: file) else { return "" }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first ?? ""
        return line.trimmingCharacters(in: .whitespaces)
    }
}

extension RunIdentity {
    /// File in a corpus copied out of git (as in the container lab) that records its revision.
    package static let revisionFile = ".suite-rev"

    /// The revision recorded in the corpus's `.suite-rev` file (a copy: bundle, container lab,
    /// wheel), else the `git describe`-like revision of the folder holding it, else `unknown`.
    /// The recorded one wins: git would answer for whatever repository a copy lies in (a venv
    /// inside a project's checkout).
    public static func suiteRevision(of directory: String) async -> String {
        let recorded = FileManager.default.contents(atPath: "\(directory)/\(revisionFile)")
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        if let recorded, !recorded.isEmpty { return recorded }
        func git(_ args: [String]) async -> String? {
            await HostCommand("git", ["-C", directory] + args, error: .discarded).outputIfSucceeded()?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let rev = await git(["rev-parse", "--short=12", "HEAD"]) else { return "unknown" }
        let dirty = !(await git(["status", "--porcelain", "--untracked-files=no", "--", "."]) ?? "").isEmpty
        return dirty ? rev + "-dirty" : rev
    }
}
