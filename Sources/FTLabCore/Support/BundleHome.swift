import Foundation

/// An unpacked `ftlab bundle`: the folder holding `bin/ftlab`, `bundle.json` and `MANIFEST.json`.
/// ftlab started from `bin/ftlab` of such a folder uses the bundle's corpus, `lab/`, lab
/// pythons (`<bundle>/pythons`, as the lab cache) and libraries (`<bundle>/lib`).
public struct BundleHome: Sendable, Equatable {
    /// The bundle's top folder.
    public var root: String

    public static let manifestFile = "MANIFEST.json"
    public static let descriptionFile = "bundle.json"

    public init(root: String) {
        self.root = root
    }

    /// The bundle the running executable lies in, if any (`<root>/bin/ftlab` with the two files beside `bin/`).
    public static let current: BundleHome? = containing(executable: executablePath())

    /// The bundle whose `bin/` holds `executable`; nil when the folder above is not a bundle.
    public static func containing(executable: String) -> BundleHome? {
        let bin = (executable as NSString).deletingLastPathComponent
        guard (bin as NSString).lastPathComponent == "bin" else { return nil }
        let home = BundleHome(root: (bin as NSString).deletingLastPathComponent)
        let fm = FileManager.default
        guard fm.fileExists(atPath: home.manifestPath), fm.fileExists(atPath: home.descriptionPath) else { return nil }
        return home
    }

    public var manifestPath: String { "\(root)/\(Self.manifestFile)" }
    public var descriptionPath: String { "\(root)/\(Self.descriptionFile)" }
    /// The shared libraries shipped (libnuma, the allocators found at pack time).
    public var libraries: String { "\(root)/lib" }

    /// The bundle id: the sha256 of its `MANIFEST.json` (which lists every other file's sha256),
    /// recorded in the `bundle` column of every row measured from it; empty when unreadable.
    public func id() -> String {
        guard let data = FileManager.default.contents(atPath: manifestPath) else { return "" }
        var hasher = SHA256()
        hasher.update(data)
        return hasher.hexDigest()
    }

    /// `ftlab bundle --verify DIR`: the bundle at `path`, every file's sha256 checked against
    /// its `MANIFEST.json`. Returns the manifest; throws `notABundle` or the first mismatch.
    public static func verify(_ path: String) async throws(BundleError) -> (home: BundleHome, manifest: BundleManifest) {
        let home = BundleHome(root: (path as NSString).standardizingPath)
        guard FileManager.default.fileExists(atPath: home.manifestPath),
              FileManager.default.fileExists(atPath: home.descriptionPath)
        else { throw .notABundle(path: path) }
        let manifest = try BundleManifest.read(at: home.manifestPath)
        if let mismatch = await manifest.firstMismatch(under: home.root, depth: .full) { throw mismatch }
        return (home, manifest)
    }

    /// The bundle id of the running ftlab; empty outside a bundle.
    public static let currentID: String = current?.id() ?? ""
}

/// `MANIFEST.json`: every file of a bundle (but the manifest itself) with its size and sha256.
public struct BundleManifest: Codable, Sendable, Equatable {
    /// One regular file, or a symbolic link (`link` set, size 0, no sha256).
    public struct Entry: Codable, Sendable, Equatable {
        /// Relative to the bundle's top folder.
        public var path: String
        public var size: Int
        public var sha256: String
        public var link: String?

        public init(path: String, size: Int, sha256: String, link: String? = nil) {
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.link = link
        }
    }

    public var format: Int
    public var files: [Entry]

    public init(format: Int = 1, files: [Entry]) {
        self.format = format
        self.files = files
    }

    public static func read(at path: String) throws(BundleError) -> BundleManifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableManifest(path: path, reason: "cannot be read") }
        do {
            return try JSONDecoder().decode(BundleManifest.self, from: data)
        } catch {
            throw .unreadableManifest(path: path, reason: "\(error)")
        }
    }

    /// The manifest as written: sorted keys, one file per line is not needed, pretty enough to diff.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }

    /// How much `verify` checks.
    public enum Depth: Sendable {
        /// Sizes (and link targets) of every file; sha256 of the small text files ftlab itself
        /// reads (corpus, `lab/`, `bundle.json`, the launcher): what every start checks.
        case startup
        /// The sha256 of every file (`ftlab bundle --verify DIR`).
        case full
    }

    /// The first entry whose file under `root` does not match (missing, another size, another
    /// link target or another sha256), in manifest order; nil when all match. Files that are
    /// not listed (caches a run writes, `__pycache__`) are not looked at.
    public func firstMismatch(under root: String, depth: Depth,
                              hashes: ([String]) async -> [String: String] = BundleManifest.sha256sums) async -> BundleError? {
        let fm = FileManager.default
        var toHash: [Entry] = []
        for entry in files {
            let path = "\(root)/\(entry.path)"
            if let link = entry.link {
                let target = try? fm.destinationOfSymbolicLink(atPath: path)
                if target != link { return .mismatch(path: entry.path, reason: target.map { "links to \($0), not \(link)" } ?? "is missing or not a link") }
                continue
            }
            guard let attributes = try? fm.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let size = (attributes[.size] as? NSNumber)?.intValue
            else { return .mismatch(path: entry.path, reason: "is missing") }
            if size != entry.size { return .mismatch(path: entry.path, reason: "has \(size) bytes, the manifest says \(entry.size)") }
            if depth == .full || Self.hashedAtStartup(entry) { toHash.append(entry) }
        }
        if depth == .startup {
            for entry in toHash {
                var hasher = SHA256()
                hasher.update(fm.contents(atPath: "\(root)/\(entry.path)") ?? Data())
                let digest = hasher.hexDigest()
                if digest != entry.sha256 { return .mismatch(path: entry.path, reason: "has sha256 \(digest), the manifest says \(entry.sha256)") }
            }
            return nil
        }
        let sums = await hashes(toHash.map { "\(root)/\($0.path)" })
        for entry in toHash {
            let digest = sums["\(root)/\(entry.path)"] ?? "(unreadable)"
            if digest != entry.sha256 { return .mismatch(path: entry.path, reason: "has sha256 \(digest), the manifest says \(entry.sha256)") }
        }
        return nil
    }

    /// Whether every start hashes this file: the small ones ftlab reads itself.
    static func hashedAtStartup(_ entry: Entry) -> Bool {
        entry.size <= 1 << 20 && (entry.path.hasPrefix("Workloads/") || entry.path.hasPrefix("lab/")
            || entry.path == BundleHome.descriptionFile || entry.path == "ftlab")
    }

    /// sha256 of each of `paths` through `sha256sum` (a few hundred files per call); a file it
    /// could not read is absent from the answer.
    public static func sha256sums(_ paths: [String]) async -> [String: String] {
        var sums: [String: String] = [:]
        var start = 0
        while start < paths.count {
            let chunk = Array(paths[start..<min(start + 400, paths.count)])
            start += chunk.count
            guard let output = await HostCommand("sha256sum", ["--"] + chunk, error: .discarded).run() else { continue }
            for line in output.standardOutput.split(separator: "\n") {
                guard let space = line.firstIndex(of: " ") else { continue }
                let digest = String(line[..<space])
                let path = String(line[line.index(space, offsetBy: 2)...])
                sums[path] = digest
            }
        }
        return sums
    }
}
