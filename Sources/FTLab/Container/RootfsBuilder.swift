import Foundation

/// Builds the rootfs tarball with mmdebstrap, records its sha256, manifest and recipe, and
/// checks that a second build gives the same bits.
struct RootfsBuilder {
    let rootfs: LabRootfs
    let recipe: RootfsRecipe
    let reporter: PhaseReporter

    /// The tarball's id (sha256): a verified tarball of the same recipe is kept unless `force`;
    /// otherwise it is built afresh.
    func ensureTarball(force: Bool) async throws(ContainerError) -> String {
        let recorded = FileManager.default.contents(atPath: rootfs.recipeFile).map { String(decoding: $0, as: UTF8.self) }
        if !force, recorded == recipe.fingerprint, FileManager.default.fileExists(atPath: rootfs.tarball) {
            let sha = try await reporter.phase("rootfs", "verify") { () async throws(ContainerError) in
                try await rootfs.verifiedSHA256()
            }
            reporter.say("rootfs: already built (sha256 \(sha))")
            return sha
        }
        for file in [rootfs.checksumFile, rootfs.recipeFile] { try? FileManager.default.removeItem(atPath: file) }
        let sha = try await build(into: rootfs.tarball, manifest: rootfs.manifest)
        try write(LabRootfs.checksumLine(sha), to: rootfs.checksumFile)
        try write(recipe.fingerprint, to: rootfs.recipeFile)
        return sha
    }

    /// Builds the tarball a second time beside the first and refuses a different sha256.
    func checkReproducible(expected: String) async throws(ContainerError) {
        let second = rootfs.directory + "/rootfs-check.tar"
        let manifest = second + ".manifest"
        let sha = try await build(into: second, manifest: manifest)
        try? FileManager.default.removeItem(atPath: second)
        guard sha == expected else {
            throw .notReproducible(first: expected, second: sha, manifests: [rootfs.manifest, manifest])
        }
        try? FileManager.default.removeItem(atPath: manifest)
        reporter.say("rootfs: reproducible (a second build has the same sha256 \(sha))")
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
        do {
            try? FileManager.default.removeItem(atPath: output)
            try FileManager.default.moveItem(atPath: partial, toPath: output)
        } catch {
            throw .cannotWrite(path: output, reason: "\(error)")
        }
        guard let sha = await LabSource.sha256(of: output) else {
            throw .stepFailed(step: "rootfs sha256", log: log.path, tail: "sha256sum could not read \(output)")
        }
        reporter.say("rootfs: built \(output) (sha256 \(sha))")
        return sha
    }

    private func write(_ text: String, to path: String) throws(ContainerError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw .cannotWrite(path: path, reason: "the file cannot be created")
        }
    }
}
