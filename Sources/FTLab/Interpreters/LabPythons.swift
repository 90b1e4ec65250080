import Foundation

/// The lab's interpreters: one pinned CPython source built twice with identical flags,
/// once with `--disable-gil`, into the cache (`<cache>/pythons/<label>`).
public enum LabPythons {
    /// The CPython release the lab pins.
    public static let pinnedVersion = "3.13.5"
    /// The pinned source: Debian trixie's `python3.13` source package (python.org is unreachable here).
    public static let pinnedSource = LabSource.debian(
        package: "python3.13", suite: "trixie", file: "python3.13_3.13.5.orig.tar.xz",
        sha256: "93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640")
    /// Labels of the pinned pair, GIL build first: `cpython-3.13.5`, `cpython-3.13.5t`.
    public static var pinnedLabels: [String] { LabTarget.pair(pinnedVersion).map(\.label) }
    /// Debian packages a fresh machine needs to build the pair with every stdlib module.
    public static let buildPackages = [
        "build-essential", "pkg-config", "libssl-dev", "libffi-dev", "zlib1g-dev", "libbz2-dev",
        "liblzma-dev", "libsqlite3-dev", "libreadline-dev", "libncurses-dev", "uuid-dev", "libgdbm-dev",
    ]
    /// configure flags of every lab build: no pip, no test suite (a build takes 2-3 minutes on 2 cores).
    public static let configureFlags = ["--without-ensurepip", "--disable-test-modules"]
    /// Added by `--optimizations`: PGO and LTO (a build then takes far longer).
    public static let optimizationFlags = ["--enable-optimizations", "--with-lto"]

    /// The built members of the pinned pair, probed, GIL build first; missing or broken ones are left out.
    public static func installedPair(cache: LabCache = LabCache()) async -> [Interpreter] {
        var pair: [Interpreter] = []
        for target in LabTarget.pair(pinnedVersion) {
            if let interpreter = try? await interpreter(target, cache: cache) { pair.append(interpreter) }
        }
        return pair
    }

    /// The manifests of every finished lab build in the cache, sorted by label.
    public static func builds(cache: LabCache = LabCache()) -> [LabManifest] {
        let labels = (try? FileManager.default.contentsOfDirectory(atPath: cache.pythons)) ?? []
        return labels.sorted().compactMap { LabManifest.read(at: cache.manifestPath($0)) }
    }

    /// The lab build of `target`, probed; refused as not built when its manifest is missing.
    static func interpreter(_ target: LabTarget, cache: LabCache) async throws(InterpreterError) -> Interpreter {
        let executable = cache.executable(target)
        guard let manifest = LabManifest.read(at: cache.manifestPath(target.label)) else {
            throw .notBuilt(label: target.label, executable: executable)
        }
        return try await InterpreterProbe.probe(executable, label: target.label, sourceSHA256: manifest.source.sha256)
    }
}
