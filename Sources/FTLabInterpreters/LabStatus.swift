import FTLabCore

/// What `ftlab lab status` shows: the cache, the default pair, the ladder and every build's
/// manifest (`--format json`: one `ftlab.lab-status/1` object of the four).
public struct LabStatus: Sendable, Encodable {
    public var cache: String
    /// The recorded default pair; nil when `ftlab lab pythons` never chose one.
    public var defaultPair: LabDefault?
    /// Versions with both builds finished, oldest first.
    public var ladder: [String]
    /// Every build's manifest.
    public var builds: [LabManifest]
    /// The release `--python lab` means (the recorded default, else the lock's).
    public var defaultVersion: String

    enum CodingKeys: String, CodingKey { case cache, defaultPair, ladder, builds }

    /// Reads the lab's state in `cache`.
    public init(cache: CacheDirectory) {
        self.cache = cache.root
        defaultPair = LabDefault.read(cache: cache)
        ladder = LabPythons.builtVersions(cache: cache)
        builds = LabPythons.builds(cache: cache)
        defaultVersion = LabPythons.defaultVersion(cache: cache)
    }

    /// The status for a terminal: the default pair, the ladder, what is not built, and each
    /// build's manifest.
    public func text() -> String {
        var lines = ["cache: \(cache)"]
        if let chosen = defaultPair {
            lines.append("default pair (--python lab): \(chosen.version): \(chosen.reason)")
        } else {
            lines.append("default pair (--python lab): \(defaultVersion) (no default recorded; `ftlab lab pythons` chooses one)")
        }
        if ladder.count > 1 { lines.append("ladder (--python ladder): \(ladder.joined(separator: ", "))") }
        for target in LabTarget.pair(defaultVersion) where !builds.contains(where: { $0.label == target.label }) {
            lines.append("\(target.label): not built (run `ftlab lab pythons`)")
        }
        for manifest in builds {
            lines.append("""
                \(manifest.label): \(manifest.executable)
                    sys.version   \(manifest.sysVersion)
                    source        \(manifest.source.file) sha256 \(manifest.source.sha256)
                    origin        \(manifest.source.package ?? manifest.source.url ?? manifest.source.kind)
                    why           \(manifest.selection ?? "(not recorded)")
                    configure     \(manifest.configureFlags.joined(separator: " "))
                    compiler      \(manifest.compiler)
                    built         \(manifest.builtUTC) in \(Int(manifest.buildSeconds)) s
                """)
            if manifest.optimized { lines.append("    rows say      \(manifest.interpreterLabel) (a PGO + LTO build)") }
            if !manifest.missingModules.isEmpty { lines.append("    missing       \(manifest.missingModules.joined(separator: ", "))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
