import Foundation
import FTLabCore

/// Builds the rootfs tarball with mmdebstrap, records its sha256, manifest and recipe, and
/// checks that a second build gives the same bits.
package struct RootfsBuilder {
    package let rootfs: ContainerRootfs
    package let recipe: RootfsRecipe
    package let reporter: PhaseReporter

    /// The tarball's id (sha256), and whether this call built it: a verified tarball of the same
    /// recipe is kept unless `force`; otherwise it is built afresh.
    package func ensureTarball(force: Bool) async throws(ContainerError) -> (id: String, built: Bool) {
        let recorded = FileManager.default.contents(atPath: rootfs.recipeFile).map { String(decoding: $0, as: UTF8.self) }
        if !force, recorded == recipe.fingerprint, FileManager.default.fileExists(atPath: rootfs.tarball) {
            let sha = try await reporter.phase("rootfs", "verify") { () async throws(ContainerError) in
                try await rootfs.verifiedSHA256()
            }
            reporter.say("rootfs: already built (sha256 \(sha))")
            return (sha, false)
        }
        // The recipe file is what marks a finished tarball: it goes first and comes back last.
        for file in [rootfs.recipeFile, rootfs.checksumFile] { try? FileManager.default.removeItem(atPath: file) }
        let sha = try await build(into: rootfs.tarball, manifest: rootfs.manifest)
        try write(ContainerRootfs.checksumLine(sha), to: rootfs.checksumFile)
        try write(recipe.fingerprint, to: rootfs.recipeFile)
        return (sha, true)
    }

    /// Builds the tarball again and refuses a different sha256. The second build is compared
    /// with `justBuilt` when this run built the lab's tarball; a cached one may predate a change
    /// of the Debian archive, so then two fresh builds are compared, and a difference from the
    /// cached `id` is only reported.
    package func checkReproducible(id: String, justBuilt: Bool) async throws(ContainerError) {
        let scratch = (1...2).map { rootfs.directory + "/rootfs-check-\($0).tar" }
        let manifests = scratch.map { $0 + ".manifest" }
        defer { for file in scratch + manifests { try? FileManager.default.removeItem(atPath: file) } }
        let first = justBuilt ? id : try await build(into: scratch[0], manifest: manifests[0])
        let second = try await build(into: scratch[1], manifest: manifests[1])
        guard first == second else {
            let kept = scratch.indices.map { "\(manifests[$0]).kept" }
            for (from, to) in zip(manifests, kept) { try? FileManager.default.moveItem(atPath: from, toPath: to) }
            throw .notReproducible(first: first, second: second, manifests: [justBuilt ? rootfs.manifest : kept[0], kept[1]])
        }
        reporter.say("rootfs: reproducible (two builds have the same sha256 \(second))")
        if second != id {
            reporter.say("rootfs: the Debian archive has changed since the lab's rootfs \(id) was built;"
                + " ftlab lab rootfs --force rebuilds it")
        }
    }

    /// Runs the recipe into `output` (built as `output.part`, then renamed) and returns its sha256.
    private func build(into output: String, manifest: String) async throws(ContainerError) -> String {
        guard findOnPath("mmdebstrap") != nil else { throw .missingTool(tool: "mmdebstrap", package: "mmdebstrap") }
        try? FileManager.default.createDirectory(atPath: rootfs.debCache, withIntermediateDirectories: true)
        let partial = output + ".part"
        try? FileManager.default.removeItem(atPath: partial)
        let log = BuildLog(path: rootfs.log)
        let environment = recipe.environment.map { "\($0)=\($1)" }
        try await reporter.phase("rootfs", "mmdebstrap") { () async throws(ContainerError) in
            guard await log.run("env", environment + ["mmdebstrap"] + recipe.arguments(output: partial, manifest: manifest))
            else { throw .stepFailed(step: "rootfs build", log: log.path, tail: log.tail()) }
        }
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.move(partial, to: output)
        } catch {
            throw .cannotWrite(path: output, reason: error.reason)
        }
        guard let sha = await LabSource.sha256(of: output) else {
            throw .stepFailed(step: "rootfs sha256", log: log.path, tail: "sha256sum could not read \(output)")
        }
        reporter.say("rootfs: built \(output) (sha256 \(sha))")
        return sha
    }

    /// Removes what a killed build left: a tarball being written, the scratch tarballs of a
    /// reproducibility check (the `.kept` manifests of a failed check stay). Called holding the
    /// lab's lock.
    package func removeLeftovers() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rootfs.directory)) ?? []
        for name in names where name.hasSuffix(".part") || (name.hasPrefix("rootfs-check-") && !name.hasSuffix(".kept")) {
            try? FileManager.default.removeItem(atPath: "\(rootfs.directory)/\(name)")
        }
    }

    private func write(_ text: String, to path: String) throws(ContainerError) {
        do throws(AtomicPlacement.Failure) {
            try AtomicPlacement.write(Data(text.utf8), to: path)
        } catch {
            throw .cannotWrite(path: path, reason: error.reason)
        }
    }
}
