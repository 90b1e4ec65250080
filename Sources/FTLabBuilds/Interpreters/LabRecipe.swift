import FTLabInterpreters

/// How the lab builds its pinned pair: the source and the flags (discovery of finished builds
/// lives with the runner, in `LabPythons`).
extension LabPythons {
    /// Debian packages a fresh machine needs to build the pair with every stdlib module.
    public static let buildPackages = [
        "build-essential", "pkg-config", "libssl-dev", "libffi-dev", "zlib1g-dev", "libbz2-dev",
        "liblzma-dev", "libsqlite3-dev", "libreadline-dev", "libncurses-dev", "uuid-dev", "libgdbm-dev",
    ]
    /// configure flags of every lab build: no pip. CPython's test modules stay in: lockbench needs
    /// `_testinternalcapi`, and so does the PGO profile task on free-threaded builds (its
    /// `suppress_immortalization` tests fail without it, and `make` stops).
    public static let configureFlags = ["--without-ensurepip"]
    /// Added by `--optimizations`: PGO and LTO (a build then takes far longer).
    public static let optimizationFlags = ["--enable-optimizations", "--with-lto"]

    /// The configure flags a build of `build` gets with `settings` (the prefix aside).
    public static func configureFlags(_ build: Interpreter.Build, _ settings: LabBuildSettings) -> [String] {
        configureFlags + (settings.optimizations ? optimizationFlags : []) + (build == .freethreaded ? ["--disable-gil"] : [])
    }

    /// Why a finished build does not follow today's recipe for `settings`, or nil when it does.
    /// A PGO build serves a plain request too (it differs only by optimizations); a plain build
    /// does not serve `--pgo`.
    public static func staleness(of manifest: LabManifest, _ settings: LabBuildSettings) -> String? {
        let built = manifest.configureFlags.filter { !$0.hasPrefix("--prefix=") }
        let wanted = configureFlags(manifest.build, settings)
        let acceptable = settings.optimizations ? [wanted] : [wanted, configureFlags(manifest.build, LabBuildSettings(optimizations: true))]
        guard !acceptable.contains(built) else { return nil }
        return "built with configure \(built.joined(separator: " ")), not today's \(wanted.joined(separator: " ")); rebuilding"
    }
}
