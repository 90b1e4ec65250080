/// The mmdebstrap recipe of the lab rootfs: Debian bookworm, minbase variant, the package
/// list, and a fixed `SOURCE_DATE_EPOCH`, so two builds against the same archive state give a
/// bit-identical tarball.
public struct RootfsRecipe: Sendable, Equatable {
    public static let suite = "bookworm"
    /// 2025-01-01T00:00:00Z: every file time in the tarball is clamped to it.
    public static let sourceDateEpoch = 1_735_689_600
    /// The apt sources of the rootfs (also written to its /etc/apt/sources.list).
    public static let sources = [
        "deb http://deb.debian.org/debian bookworm main",
        "deb http://deb.debian.org/debian bookworm-updates main",
        "deb http://deb.debian.org/debian-security bookworm-security main",
    ]
    /// The rootfs's /etc/hostname (mmdebstrap would copy the host's).
    public static let hostname = "ftlab-lab"

    public var packages: [String]
    /// Host folder that keeps downloaded .deb files between builds (never part of the tarball).
    public var debCache: String

    public init(packages: [String], debCache: String) {
        self.packages = packages
        self.debCache = debCache
    }

    /// The mmdebstrap arguments that write the tarball to `output` and the `dpkg-query`
    /// manifest (`package=version` lines) to `manifest`.
    public func arguments(output: String, manifest: String) -> [String] {
        [
            "--variant=minbase",
            "--format=tar",
            "--include=" + packages.joined(separator: ","),
            // Keep the essential .debs until the customize hook has copied them out.
            "--skip=essential/unlink",
            "--setup-hook=mkdir -p \"$1\"/var/cache/apt/archives/",
            "--setup-hook=sync-in \(debCache) /var/cache/apt/archives/",
            "--customize-hook=sync-out /var/cache/apt/archives \(debCache)",
            // The host's resolv.conf and hostname would make the tarball differ between hosts.
            "--customize-hook=: > \"$1\"/etc/resolv.conf",
            "--customize-hook=echo \(Self.hostname) > \"$1\"/etc/hostname",
            "--customize-hook=chroot \"$1\" dpkg-query -W -f='${binary:Package}=${Version}\\n' > '\(manifest)'",
            Self.suite, output,
        ] + Self.sources
    }

    /// The environment mmdebstrap runs with.
    public var environment: [String: String] { ["SOURCE_DATE_EPOCH": String(Self.sourceDateEpoch)] }

    /// What decides the tarball's content, one item per line: stored beside the tarball, a
    /// changed package list or recipe means a rebuild.
    public var fingerprint: String {
        (["suite \(Self.suite)", "variant minbase", "SOURCE_DATE_EPOCH \(Self.sourceDateEpoch)",
          "hostname \(Self.hostname)"] + Self.sources.map { "source \($0)" } + packages.map { "package \($0)" })
            .joined(separator: "\n") + "\n"
    }
}
