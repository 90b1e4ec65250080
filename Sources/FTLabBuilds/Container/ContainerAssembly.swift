import Foundation
import FTLabCore
import FTLabHarness
import FTLabInterpreters

/// What `ftlab lab rootfs` made.
public struct RootfsSummary: Sendable {
    /// The lab's id: the rootfs tarball's sha256.
    public var id: String
    public var rootfs: ContainerRootfs
    /// Packages in the rootfs (lines of the manifest).
    public var packageCount: Int
}

/// `ftlab lab rootfs`: builds (or verifies) the rootfs tarball, unpacks it into the lab tree,
/// installs ftlab, the corpus and `lab/` under /opt/ftlab, and builds the pinned pair inside
/// the lab with `ftlab lab pythons`, the same recipe as on a host.
public struct ContainerAssembly {
    public var cache: CacheDirectory
    public var reporter: PhaseReporter

    public init(cache: CacheDirectory = CacheDirectory(), reporter: PhaseReporter = PhaseReporter()) {
        self.cache = cache
        self.reporter = reporter
    }

    package var rootfs: ContainerRootfs { ContainerRootfs(cache: cache) }

    /// Builds the whole lab; `binary` is the ftlab to install (a release build with the Swift
    /// runtime linked in). `checkReproducible` builds the tarball a second time and compares.
    public func build(binary: String, force: Bool, checkReproducible: Bool) async throws(ContainerError) -> RootfsSummary {
        let (list, listPath) = try PackageList.load()
        guard findOnPath("bwrap") != nil else { throw .missingTool(tool: "bwrap", package: "bubblewrap") }
        let builder = RootfsBuilder(
            rootfs: rootfs, recipe: RootfsRecipe(packages: list.packages, debCache: rootfs.debCache), reporter: reporter)
        // The lab's own lock: the host's pair stays usable while the lab builds.
        let lock = CacheDirectory(root: rootfs.directory)
        let id = try await withCacheLock(lock, waiting: { reporter.say("waiting for another ftlab lab build (\($0))") }) {
            () async throws(ContainerError) -> String in
            builder.removeLeftovers()
            let (id, built) = try await builder.ensureTarball(force: force)
            if checkReproducible { try await builder.checkReproducible(id: id, justBuilt: built) }
            // The tree's id file says the lab is assembled: it goes before anything in the tree
            // changes and comes back once the pair is built, so a cut-off assembly is never run.
            let unpacked = rootfs.unpackedID()
            try? FileManager.default.removeItem(atPath: rootfs.tree + ContainerRootfs.idFile)
            if unpacked != id { try await unpack(id) }
            try await install(binary: binary, labDirectory: (listPath as NSString).deletingLastPathComponent)
            try await checkBinaryRuns(binary)
            try await seedSource()
            try await buildPair()
            try write(id + "\n", to: rootfs.tree + ContainerRootfs.idFile)
            return id
        }
        let manifest = FileManager.default.contents(atPath: rootfs.manifest).map { String(decoding: $0, as: UTF8.self) }
        return RootfsSummary(id: id, rootfs: rootfs, packageCount: manifest?.split(separator: "\n").count ?? 0)
    }

    /// A sandbox over the lab tree with the lab's environment.
    private func sandbox() -> Sandbox {
        var sandbox = Sandbox(root: rootfs.tree, entries: Sandbox.entries(of: rootfs.tree))
        sandbox.environment = Sandbox.labEnvironment()
        return sandbox
    }

    /// Unpacks the verified tarball into a fresh tree (device nodes left out: bwrap makes /dev)
    /// and records its id in `tree.unpacked`, last, so a cut-off unpack is redone.
    private func unpack(_ id: String) async throws(ContainerError) {
        let tree = rootfs.tree
        try? FileManager.default.removeItem(atPath: rootfs.unpackedFile)
        try? FileManager.default.removeItem(atPath: tree)
        try? FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        let log = BuildLog(path: rootfs.directory + "/unpack.log")
        try await reporter.phase("lab", "unpack") { () async throws(ContainerError) in
            _ = try await rootfs.verifiedSHA256()
            guard await log.run("tar", ["-xf", rootfs.tarball, "-C", tree, "--numeric-owner", "--exclude=./dev/*"])
            else { throw .stepFailed(step: "unpack", log: log.path, tail: log.tail()) }
        }
        try write(id + "\n", to: rootfs.unpackedFile)
    }

    private func write(_ text: String, to path: String) throws(ContainerError) {
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.write(Data(text.utf8), to: path)
        } catch {
            throw .cannotWrite(path: path, reason: error.reason)
        }
    }

    /// Copies ftlab, the corpus (with its suite revision) and `lab/` into /opt/ftlab of the tree.
    private func install(binary: String, labDirectory: String) async throws(ContainerError) {
        let home = rootfs.tree + ContainerRootfs.home
        let workloads = WorkloadCatalog.locateBuiltinDirectory()
        let fm = FileManager.default
        do {
            for item in ["bin", "Workloads", "lab"] { try? fm.removeItem(atPath: "\(home)/\(item)") }
            try fm.createDirectory(atPath: "\(home)/bin", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: "\(home)/cache", withIntermediateDirectories: true)
            try fm.copyItem(atPath: binary, toPath: "\(home)/bin/ftlab")
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(home)/bin/ftlab")
            try fm.copyItem(atPath: workloads, toPath: "\(home)/Workloads")
            try fm.copyItem(atPath: labDirectory, toPath: "\(home)/lab")
            let revision = await RunIdentity.suiteRevision(of: workloads) + "\n"
            try Data(revision.utf8).write(to: URL(fileURLWithPath: "\(home)/Workloads/\(RunIdentity.revisionFile)"))
        } catch {
            throw .cannotWrite(path: home, reason: "\(error)")
        }
    }

    /// Runs `ftlab list` inside: the binary must start with only the rootfs's libraries.
    private func checkBinaryRuns(_ binary: String) async throws(ContainerError) {
        let bwrap = findOnPath("bwrap") ?? "bwrap"
        let output = await HostCommand(bwrap, sandbox().arguments(command: ["\(ContainerRootfs.home)/bin/ftlab", "list"])).run()
        guard let output, output.succeeded else {
            let detail = output.map { $0.standardError.split(separator: "\n").first.map(String.init) ?? "" } ?? ""
            throw .binaryDoesNotRun(binary: binary, output: detail.isEmpty ? "it exited non-zero" : detail)
        }
    }

    /// Puts the source of the lab's release (the host's default pair, fetched into the host
    /// cache and verified) into the lab's cache, so the pair builds inside without a network.
    /// The host cache is locked while it is fetched, and the copy is renamed into place once complete.
    private func seedSource() async throws(ContainerError) {
        let found: SourceFinder.Found
        do throws(LabError) {
            let release = try PythonLock.load().releases(matching: LabPythons.defaultVersion(cache: cache))[0]
            // The lab already holds a source of the release (seeded earlier): nothing to fetch;
            // the build inside checks its digest.
            let labSources = "\(rootfs.tree)\(ContainerRootfs.cache)/sources"
            if release.sources.contains(where: { FileManager.default.fileExists(atPath: "\(labSources)/\($0.fileName)") }) { return }
            let finder = SourceFinder(cache: cache, mirror: ProcessInfo.processInfo.environment[SourceFinder.mirrorVariable], reporter: reporter)
            found = try await withCacheLock(cache, waiting: { reporter.say("waiting for another ftlab build to finish (\($0))") }) {
                () async throws(LabError) in try await finder.find(release.version, sources: release.sources)
            }
        } catch {
            throw .source(error)
        }
        let tarball = found.tarball
        let target = "\(rootfs.tree)\(ContainerRootfs.cache)/sources/\(found.source.fileName)"
        let partial = target + ".part"
        try? FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: partial)
        do {
            try FileManager.default.copyItem(atPath: tarball, toPath: partial)
        } catch {
            throw .cannotWrite(path: partial, reason: "\(error)")
        }
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.move(partial, to: target)
        } catch {
            throw .cannotWrite(path: target, reason: error.reason)
        }
    }

    /// `ftlab lab pythons` inside the lab, with only the lab's cache writable; its progress
    /// goes straight to this terminal's standard error (none with `--quiet`).
    private func buildPair() async throws(ContainerError) {
        var sandbox = sandbox()
        sandbox.binds = [.init(rootfs.tree + ContainerRootfs.cache, at: ContainerRootfs.cache, writable: true)]
        let logs = rootfs.tree + ContainerRootfs.cache + "/logs"
        let build = HostCommand("bwrap", sandbox.arguments(command: ["ftlab", "lab", "pythons", "--version", LabPythons.defaultVersion(cache: cache)]
                                                               + (reporter.quiet ? ["--quiet"] : [])),
                                output: .inherited, error: .inherited)
        guard let outcome = await build.run() else { throw .pairFailed(status: 127, logs: logs) }
        guard outcome.succeeded else { throw .pairFailed(status: outcome.status, logs: logs) }
    }
}
