import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters
import FTLabRunner

/// Packs `ftlab bundle`: one `.tar.xz` with a top folder `ftlab-bundle-<version>/` holding
///
///     ftlab               launcher: LD_LIBRARY_PATH=<bundle>/lib, then bin/ftlab
///     bin/ftlab           the ftlab given (a static release build runs without Swift)
///     lib/                libnuma.so.1 and the allocators installed here
///     Workloads/ lab/     the corpus (with its .suite-rev) and the lock ftlab reads
///     pythons/<label>/    the lab prefixes, stripped (see `leftOut`), and default.json
///     bundle.json         what is inside and what is not
///     MANIFEST.json       every other file's size and sha256; its own sha256 is the bundle id
public struct BundleBuilder: Sendable {
    /// The ftlab binary to ship.
    public var binary: String
    /// Lab labels, e.g. `cpython-3.13.5`, `cpython-3.13.5t`.
    public var labels: [String]
    public var cache: CacheDirectory
    public var reporter: PhaseReporter

    public init(binary: String, labels: [String], cache: CacheDirectory = CacheDirectory(), reporter: PhaseReporter = PhaseReporter()) {
        self.binary = binary
        self.labels = labels
        self.cache = cache
        self.reporter = reporter
    }

    /// What a pack made.
    public struct Packed: Sendable {
        public var archive: String
        public var archiveBytes: Int
        public var unpackedBytes: Int
        public var fileCount: Int
        public var id: String
        public var folder: String
        /// Allocator name -> `lib/FILE`, or why it is not in the bundle.
        public var allocators: [String: String]
    }

    /// What a measurement never imports, left out of every prefix (paths under `lib/python3.X[t]/`
    /// unless they start with `/`, which are relative to the prefix).
    public static let leftOut = [
        "test", "idlelib", "tkinter", "turtledemo", "lib2to3", "ensurepip/_bundled",
        "lib-dynload/_tkinter*.so", "config-*/libpython*.a", "config-*/python.o",
        "/lib/libpython*.a", "/share/man", "/bin/idle3*", "any __pycache__",
    ]

    /// The labels `--python` names: a comma list of `lab` (the default pair), `X.Y.Z` (that
    /// pair) or a label; each must be a finished lab build in the cache.
    public static func labels(for spec: String?, cache: CacheDirectory) throws(BundleError) -> [String] {
        var labels: [String] = []
        for item in (spec ?? "lab").split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            let named: [String]
            if item == "lab" {
                named = LabTarget.pair(LabPythons.defaultVersion(cache: cache)).map(\.label)
            } else if LabTarget.isVersion(item) {
                named = LabTarget.pair(item).map(\.label)
            } else if LabTarget(label: item) != nil {
                named = [item]
            } else {
                throw .badPython(item)
            }
            for label in named {
                guard LabManifest.read(at: cache.manifestPath(label)) != nil else {
                    throw .notBuilt(label: label, built: LabPythons.builds(cache: cache).map(\.label), cache: cache.pythons)
                }
                if !labels.contains(label) { labels.append(label) }
            }
        }
        if labels.isEmpty { throw .badPython(spec ?? "") }
        return labels
    }

    /// Builds the bundle into `archive` (written whole or not at all).
    public func pack(to archive: String) async throws(BundleError) -> Packed {
        let fm = FileManager.default
        let name = "ftlab-bundle-\(FTLabVersion.current)"
        let staging = (archive as NSString).deletingLastPathComponent + "/.\(name)-\(getpid()).staging"
        let top = "\(staging)/\(name)"
        try? fm.removeItem(atPath: staging)
        defer { try? fm.removeItem(atPath: staging) }
        try make(top + "/bin")
        try make(top + "/lib")
        try make(top + "/pythons")

        try await reporter.phase("bundle", "copy ftlab, corpus, lab/") { () async throws(BundleError) in
            try copy(binary, to: top + "/bin/ftlab")
            try write(Self.launcher, to: top + "/ftlab", mode: 0o755)
            let workloads = WorkloadCatalog.locateBuiltinDirectory()
            try copy(workloads, to: top + "/Workloads")
            try removeAll(named: "__pycache__", under: top + "/Workloads")
            let revision = await RunIdentity.suiteRevision(of: workloads)
            try write(revision + "\n", to: top + "/Workloads/\(RunIdentity.revisionFile)")
            guard let lock = CheckoutFile.locate("lab/pythons.toml") else {
                throw .missingFile("lab/pythons.toml", searched: CheckoutFile.searchStarts)
            }
            try make(top + "/lab")
            try copy(lock, to: top + "/lab/pythons.toml")
        }

        for label in labels {
            try await reporter.phase("bundle", "copy \(label) (stripped)") { () async throws(BundleError) in
                try await copyPrefix(label, to: "\(top)/pythons/\(label)")
            }
        }
        let defaultVersion = LabTarget(label: labels[0])?.version ?? LabPythons.defaultVersion(cache: cache)
        let chosen = LabDefault(version: defaultVersion, reason: "\(defaultVersion): the pair this bundle was packed with")
        do throws(AtomicPlacement.Failure) {
            try chosen.write(cache: CacheDirectory(root: top))
        } catch {
            throw .cannotWrite(path: top + "/pythons/default.json", reason: error.reason)
        }

        let locator = await LibraryLocator.host(bundle: nil)
        guard let numa = locator.find(["libnuma.so.1"]) else { throw .libnumaMissing }
        try copy(numa, to: top + "/lib/libnuma.so.1", resolving: true)
        var allocators: [String: String] = [:]
        for known in AllocatorRegistry.known {
            if let found = locator.find(known.files) {
                let file = (found as NSString).lastPathComponent
                try copy(found, to: "\(top)/lib/\(file)", resolving: true)
                allocators[known.name] = "lib/\(file)"
            } else {
                allocators[known.name] = "not in this bundle: \(known.files.joined(separator: " or ")) was not installed "
                    + "where it was packed (apt-get install \(known.debianPackage), then pack again)"
            }
        }
        let description = BundleDescription(
            ftlabVersion: FTLabVersion.current, createdUTC: RunIdentity.newRunID().startedUTC, pythons: labels,
            defaultVersion: defaultVersion, libraries: ["lib/libnuma.so.1"], allocators: allocators,
            leftOut: Self.leftOut.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 == "any __pycache__" ? $0 : "lib/python3.X/\($0)" },
            note: "python -m venv needs ensurepip's wheel, which is left out: workloads with requirements do not run from a bundle")
        try write(String(decoding: description.encoded(), as: UTF8.self), to: "\(top)/\(BundleHome.descriptionFile)")

        let manifest = try await reporter.phase("bundle", "MANIFEST.json (sha256 of every file)") { () async throws(BundleError) in
            try await Self.manifest(of: top)
        }
        let manifestData = manifest.encoded()
        try write(String(decoding: manifestData, as: UTF8.self), to: "\(top)/\(BundleHome.manifestFile)")
        let id = BundleHome(root: top).id()

        let partial = archive + ".part"
        try? fm.removeItem(atPath: partial)
        try await reporter.phase("bundle", "tar -cJ") { () async throws(BundleError) in
            let tar = HostCommand("tar", [
                "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0",
                "-I", "xz -T0 -6", "-cf", partial, "-C", staging, name,
            ])
            let outcome = await tar.run()
            guard let outcome, outcome.succeeded else {
                try? fm.removeItem(atPath: partial)
                throw .tarFailed(archive: archive, detail: outcome?.standardError ?? "tar could not be started")
            }
        }
        do {
            if fm.fileExists(atPath: archive) { try fm.removeItem(atPath: archive) }
            try fm.moveItem(atPath: partial, toPath: archive)
        } catch {
            throw .cannotWrite(path: archive, reason: "\(error)")
        }
        let archiveBytes = (try? fm.attributesOfItem(atPath: archive)[.size] as? NSNumber)?.intValue ?? 0
        return Packed(archive: archive, archiveBytes: archiveBytes, unpackedBytes: manifest.files.reduce(manifestData.count) { $0 + $1.size },
                      fileCount: manifest.files.count + 1, id: id, folder: name, allocators: allocators)
    }

    /// The launcher at the bundle's top: the static ftlab still loads libnuma dynamically.
    static let launcher = """
        #!/bin/sh
        # ftlab bundle launcher: bin/ftlab finds its corpus, lab/ and pythons/ from its own path;
        # lib/ holds libnuma and the allocators, which a plain Linux may lack.
        here=$(dirname "$(readlink -f "$0")")
        LD_LIBRARY_PATH="$here/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        export LD_LIBRARY_PATH
        exec "$here/bin/ftlab" "$@"

        """

    /// Copies the lab prefix of `label` without what `leftOut` names.
    private func copyPrefix(_ label: String, to destination: String) async throws(BundleError) {
        let source = cache.prefix(label)
        guard let outcome = await HostCommand("cp", ["-a", "--", source, destination]).run(), outcome.succeeded else {
            throw .cannotWrite(path: destination, reason: "cp -a \(source) failed")
        }
        let fm = FileManager.default
        let libs = ((try? fm.contentsOfDirectory(atPath: destination + "/lib")) ?? []).filter { $0.hasPrefix("python3") }
        for pattern in Self.leftOut where pattern != "any __pycache__" {
            let paths = pattern.hasPrefix("/") ? [destination + pattern] : libs.map { "\(destination)/lib/\($0)/\(pattern)" }
            for path in paths {
                for hit in Self.glob(path) { try? fm.removeItem(atPath: hit) }
            }
        }
        try removeAll(named: "__pycache__", under: destination)
    }

    /// `path` with `*` in its last component expanded (no `*`: the path when it exists).
    static func glob(_ path: String) -> [String] {
        let folder = (path as NSString).deletingLastPathComponent, last = (path as NSString).lastPathComponent
        let folders = folder.contains("*") ? glob(folder) : [folder]
        return folders.flatMap { folder -> [String] in
            guard last.contains("*") else { return FileManager.default.fileExists(atPath: "\(folder)/\(last)") ? ["\(folder)/\(last)"] : [] }
            let parts = last.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
            return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
                .filter { name in
                    guard name.hasPrefix(parts[0]), name.hasSuffix(parts[parts.count - 1]) else { return false }
                    var rest = Substring(name.dropFirst(parts[0].count))
                    for part in parts.dropFirst().dropLast() {
                        guard let range = rest.range(of: part) else { return false }
                        rest = rest[range.upperBound...]
                    }
                    return rest.count >= parts[parts.count - 1].count
                }
                .map { "\(folder)/\($0)" }
        }
    }

    /// Every regular file and symbolic link under `top`, sorted by path, with sizes and sha256.
    static func manifest(of top: String) async throws(BundleError) -> BundleManifest {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: top) else { throw .cannotWrite(path: top, reason: "cannot be listed") }
        var regular: [(String, Int)] = [], links: [BundleManifest.Entry] = []
        while let relative = walker.nextObject() as? String {
            let attributes = (try? fm.attributesOfItem(atPath: "\(top)/\(relative)")) ?? [:]
            switch attributes[.type] as? FileAttributeType {
            case .typeSymbolicLink?:
                let target = (try? fm.destinationOfSymbolicLink(atPath: "\(top)/\(relative)")) ?? ""
                links.append(BundleManifest.Entry(path: relative, size: 0, sha256: "", link: target))
            case .typeRegular?:
                regular.append((relative, (attributes[.size] as? NSNumber)?.intValue ?? 0))
            default:
                continue
            }
        }
        let sums = await BundleManifest.sha256sums(regular.map { "\(top)/\($0.0)" })
        var entries = links
        for (relative, size) in regular {
            guard let digest = sums["\(top)/\(relative)"] else { throw .cannotWrite(path: "\(top)/\(relative)", reason: "sha256sum could not read it") }
            entries.append(BundleManifest.Entry(path: relative, size: size, sha256: digest))
        }
        return BundleManifest(files: entries.sorted { $0.path < $1.path })
    }

    private func make(_ path: String) throws(BundleError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }

    private func copy(_ source: String, to destination: String, resolving: Bool = false) throws(BundleError) {
        let from = resolving ? URL(fileURLWithPath: source).resolvingSymlinksInPath().path : source
        do { try FileManager.default.copyItem(atPath: from, toPath: destination) } catch {
            throw .cannotWrite(path: destination, reason: "copying \(from): \(error)")
        }
    }

    private func write(_ text: String, to path: String, mode: Int = 0o644) throws(BundleError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }

    private func removeAll(named name: String, under root: String) throws(BundleError) {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: root) else { return }
        var hits: [String] = []
        while let relative = walker.nextObject() as? String {
            if (relative as NSString).lastPathComponent == name { hits.append("\(root)/\(relative)") }
        }
        for hit in hits { try? fm.removeItem(atPath: hit) }
    }
}

/// `bundle.json`: what a bundle holds and what it leaves out.
public struct BundleDescription: Codable, Sendable, Equatable {
    public var ftlabVersion: String
    public var createdUTC: String
    public var pythons: [String]
    public var defaultVersion: String
    public var libraries: [String]
    public var allocators: [String: String]
    public var leftOut: [String]
    public var note: String

    enum CodingKeys: String, CodingKey {
        case ftlabVersion = "ftlab_version", createdUTC = "created_utc", pythons, defaultVersion = "default_version"
        case libraries, allocators, leftOut = "left_out", note
    }

    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
    }
}
