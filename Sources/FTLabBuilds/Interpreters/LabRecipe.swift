import FTLabRunner

/// How the lab builds its pinned pair: the source and the flags (discovery of finished builds
/// lives with the runner, in `LabPythons`).
extension LabPythons {
    /// The pinned source: Debian trixie's `python3.13` source package (python.org is unreachable here).
    public static let pinnedSource = LabSource.debian(
        package: "python3.13", suite: "trixie", file: "python3.13_3.13.5.orig.tar.xz",
        sha256: "93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640")
    /// Debian packages a fresh machine needs to build the pair with every stdlib module.
    public static let buildPackages = [
        "build-essential", "pkg-config", "libssl-dev", "libffi-dev", "zlib1g-dev", "libbz2-dev",
        "liblzma-dev", "libsqlite3-dev", "libreadline-dev", "libncurses-dev", "uuid-dev", "libgdbm-dev",
    ]
    /// configure flags of every lab build: no pip, no test suite (a build takes 2-3 minutes on 2 cores).
    public static let configureFlags = ["--without-ensurepip", "--disable-test-modules"]
    /// Added by `--optimizations`: PGO and LTO (a build then takes far longer).
    public static let optimizationFlags = ["--enable-optimizations", "--with-lto"]
}
