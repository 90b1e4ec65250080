import Foundation

/// `ftlab-manifest.json`, written into a lab build's prefix once the build passed its probe.
public struct LabManifest: Sendable, Codable, Equatable {
    /// Where the source tarball came from.
    public struct Source: Sendable, Codable, Equatable {
        /// "debian-source-package", "url", "file" or "mirrored" (a locked file only a mirror folder holds).
        public var kind: String
        /// The Debian source package and suite, e.g. "python3.13 (trixie)"; nil for a URL.
        public var package: String?
        /// The download URL; nil for a Debian source package.
        public var url: String?
        /// The tarball's file name.
        public var file: String
        public var sha256: String
        /// Where a file's contents come from when its digest is not the upstream one (the lock's
        /// `provenance`); nil for files that are the upstream release file itself.
        public var provenance: String?

        package init(kind: String, package: String? = nil, url: String? = nil, file: String, sha256: String, provenance: String? = nil) {
            self.kind = kind
            self.package = package
            self.url = url
            self.file = file
            self.sha256 = sha256
            self.provenance = provenance
        }
    }

    public var label: String
    public var version: String
    public var build: Interpreter.Build
    /// Absolute path of the built executable.
    public var executable: String
    public var source: Source
    /// Why this release was built: "--version 3.14", or how the default was chosen
    /// ("3.15.0: www.python.org: ...; built 3.13.5 from Debian trixie (python3.13)"); nil in
    /// manifests written before ftlab recorded it.
    public var selection: String?
    /// Everything passed to `./configure`, `--prefix` included.
    public var configureFlags: [String]
    /// First line of `cc --version`.
    public var compiler: String
    /// `sys.version` of the built interpreter.
    public var sysVersion: String
    /// Optional stdlib extension modules that were not built (their -dev packages were missing).
    public var missingModules: [String]
    /// configure + make + install, in seconds.
    public var buildSeconds: Double
    /// ISO 8601 time the build finished.
    public var builtUTC: String

    package init(
        label: String,
        version: String,
        build: Interpreter.Build,
        executable: String,
        source: Source,
        selection: String? = nil,
        configureFlags: [String],
        compiler: String,
        sysVersion: String,
        missingModules: [String],
        buildSeconds: Double,
        builtUTC: String
    ) {
        self.label = label
        self.version = version
        self.build = build
        self.executable = executable
        self.source = source
        self.selection = selection
        self.configureFlags = configureFlags
        self.compiler = compiler
        self.sysVersion = sysVersion
        self.missingModules = missingModules
        self.buildSeconds = buildSeconds
        self.builtUTC = builtUTC
    }

    package enum CodingKeys: String, CodingKey {
        case label, version, build, executable, source, compiler, selection
        case configureFlags = "configure_flags"
        case sysVersion = "sys_version"
        case missingModules = "missing_modules"
        case buildSeconds = "build_seconds"
        case builtUTC = "built_utc"
    }

    package static let fileName = "ftlab-manifest.json"

    /// Whether the build has PGO and LTO (`--enable-optimizations`, from `--pgo`).
    public var optimized: Bool { configureFlags.contains("--enable-optimizations") }
    /// The label its rows carry: the build's label, with `-pgo` for a PGO build, so that a PGO
    /// build never passes for the plain one (`cpython-3.13.5t-pgo`).
    public var interpreterLabel: String { optimized ? "\(label)-pgo" : label }

    /// Reads the manifest at `path`, or nil when there is none or it cannot be decoded.
    public static func read(at path: String) -> LabManifest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(LabManifest.self, from: data)
    }

    /// The manifest as pretty-printed JSON with sorted keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
