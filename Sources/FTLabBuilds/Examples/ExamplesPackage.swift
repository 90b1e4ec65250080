import Foundation
import FTLabCore

/// Debian's `python3.X-examples` package, which carries CPython's `Tools/ftscalingbench` and
/// `Tools/lockbench` under `/usr/share/doc/python3.X/examples/`: downloaded with apt-get under
/// the lab's own sources list (`lab/apt/sid.list`) and state folder (`<cache>/apt/sid`), so the
/// system's apt is untouched, and unpacked with `dpkg-deb -x` into
/// `<cache>/tools/python3.X-examples-<version>/`, where the ftscalingbench workload finds it.
///
/// `apt-get download` checks the file against the SHA256 of the archive's Packages index,
/// whose InRelease signature apt-get update verified with the system's Debian keyring; ftlab
/// compares the downloaded file with that digest (`--print-uris`) once more before unpacking.
public struct ExamplesPackage: Sendable {
    /// The CPython minor versions whose examples package is known to carry ftscalingbench.
    public static let versions = ["3.15", "3.14"]
    public static let defaultVersion = "3.15"
    /// The sources list in the checkout.
    public static let sourcesList = "lab/apt/sid.list"

    public var version: String
    public var cache: CacheDirectory

    public init(version: String = defaultVersion, cache: CacheDirectory = CacheDirectory()) throws(ExamplesError) {
        guard Self.versions.contains(version) else { throw .unknownVersion(version, known: Self.versions) }
        self.version = version
        self.cache = cache
    }

    /// `python3.15-examples`.
    public var package: String { "python\(version)-examples" }
    package var aptState: String { "\(cache.root)/apt/sid" }
    package var tools: String { "\(cache.root)/tools" }
    package var log: String { "\(cache.logs)/\(package).log" }

    /// What `fetch` left: the unpacked folder, the package version, the .deb's sha256, and
    /// whether it was there already.
    public struct Fetched: Sendable {
        public var folder: String
        public var debianVersion: String
        public var sha256: String
        public var alreadyThere: Bool
        /// The scripts the package carries (ftscalingbench.py, lockbench.py) that exist.
        public var scripts: [String]
    }

    /// Downloads, checks and unpacks the package (atomically: unpacked aside, then renamed).
    public func fetch() async throws(ExamplesError) -> Fetched {
        guard let list = CheckoutFile.locate(Self.sourcesList) else {
            throw .missingSourcesList(Self.sourcesList, searched: CheckoutFile.searchStarts)
        }
        for tool in ["apt-get", "dpkg-deb", "sha256sum"] where findOnPath(tool) == nil {
            throw .missingTool(tool)
        }
        let fm = FileManager.default
        for folder in ["\(aptState)/lists/partial", "\(aptState)/cache/archives/partial", tools, cache.logs] {
            try? fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let options = [
            "-o", "Dir::Etc::SourceList=\(list)", "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", "Dir::State::Lists=\(aptState)/lists", "-o", "Dir::Cache=\(aptState)/cache",
            "-o", "APT::Sandbox::User=root",
        ]
        let work = "\(tools)/.partial-\(package)-\(getpid())"
        try? fm.removeItem(atPath: work)
        try? fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: work) }

        try await step("apt-get update", HostCommand("apt-get", options + ["update"], output: .appended(log), error: .withOutput))
        guard let uris = await HostCommand("apt-get", options + ["--print-uris", "download", package], workingDirectory: work).run(),
              uris.succeeded, let line = uris.standardOutput.split(separator: "\n").first(where: { $0.contains(".deb") })
        else { throw .notInArchive(package: package, log: log) }
        let fields = line.split(separator: " ")
        guard fields.count >= 4, fields[3].hasPrefix("SHA256:") else { throw .notInArchive(package: package, log: log) }
        let file = String(fields[1]), indexed = String(fields[3].dropFirst("SHA256:".count)).lowercased()
        try await step("apt-get download", HostCommand("apt-get", options + ["download", package], workingDirectory: work,
                                                       output: .appended(log), error: .withOutput))
        let deb = "\(work)/\(file)"
        let actual = await HostCommand("sha256sum", ["--", deb]).run()?.standardOutput.split(separator: " ").first.map(String.init)
        guard actual == indexed else { throw .checksumMismatch(file: deb, expected: indexed, actual: actual ?? "(unreadable)") }
        guard let version = await HostCommand("dpkg-deb", ["-f", deb, "Version"]).run(), version.succeeded else {
            throw .stepFailed("dpkg-deb -f", log: log)
        }
        let debianVersion = version.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let folder = "\(tools)/\(package)-\(Self.upstream(debianVersion))"
        let present = scripts(in: folder)
        if !present.isEmpty {
            return Fetched(folder: folder, debianVersion: debianVersion, sha256: indexed, alreadyThere: true, scripts: present)
        }
        let unpacked = "\(work)/unpacked"
        try await step("dpkg-deb -x", HostCommand("dpkg-deb", ["-x", deb, unpacked], output: .appended(log), error: .withOutput))
        guard !scripts(in: unpacked).isEmpty else { throw .noScripts(package: "\(file)", log: log) }
        let record = """
            {"package": "\(package)", "version": "\(debianVersion)", "file": "\(file)", "sha256": "\(indexed)", \
            "sources_list": "\(Self.sourcesList)", "fetched_utc": "\(ISO8601DateFormatter().string(from: Date()))"}

            """
        _ = fm.createFile(atPath: "\(unpacked)/ftlab-examples.json", contents: Data(record.utf8))
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.move(unpacked, to: folder)
        } catch {
            throw .cannotWrite(path: folder, reason: error.reason)
        }
        return Fetched(folder: folder, debianVersion: debianVersion, sha256: indexed, alreadyThere: false, scripts: scripts(in: folder))
    }

    /// `3.15.2-1` -> `3.15.2` (no epoch, no Debian revision).
    package static func upstream(_ debianVersion: String) -> String {
        var text = Substring(debianVersion)
        if let colon = text.firstIndex(of: ":") { text = text[text.index(after: colon)...] }
        if let dash = text.lastIndex(of: "-") { text = text[..<dash] }
        return String(text)
    }

    /// The tool scripts present under an unpacked package root.
    package func scripts(in root: String) -> [String] {
        ["ftscalingbench", "lockbench"].map { "\(root)/usr/share/doc/python\(version)/examples/\($0)/\($0).py" }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }

    private func step(_ name: String, _ command: HostCommand) async throws(ExamplesError) {
        guard let outcome = await command.run(), outcome.succeeded else { throw .stepFailed(name, log: log) }
    }
}

/// Why `ftlab lab examples` could not fetch the package.
public enum ExamplesError: FTLabError, Equatable {
    case unknownVersion(String, known: [String])
    case missingSourcesList(String, searched: [String])
    case missingTool(String)
    case notInArchive(package: String, log: String)
    case stepFailed(String, log: String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case noScripts(package: String, log: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownVersion(version, known):
            "unknown examples version \"\(version)\"; accepted: \(known.joined(separator: ", "))"
        case let .missingSourcesList(file, searched):
            "\(file) not found above \(searched.joined(separator: " or ")); run ftlab from its checkout"
        case let .missingTool(tool):
            "\(tool) is not installed; ftlab lab examples needs apt-get, dpkg-deb and sha256sum (Debian or Ubuntu)"
        case let .notInArchive(package, log):
            "the archive in lab/apt/sid.list offers no \(package) (log: \(log)); is deb.debian.org reachable?"
        case let .stepFailed(step, log):
            "\(step) failed; see \(log)"
        case let .checksumMismatch(file, expected, actual):
            "\(file) has sha256 \(actual), but the archive's signed index says \(expected); not unpacked"
        case let .noScripts(package, log):
            "\(package) holds neither ftscalingbench.py nor lockbench.py (log: \(log))"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason)"
        }
    }
}
