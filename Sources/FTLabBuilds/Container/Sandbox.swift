import Foundation

/// A `bwrap` sandbox over the unpacked lab rootfs: the rootfs read-only, `/proc`, `/dev`,
/// the host's `/sys` read-only (placement reads the topology there), a private `/tmp`, no
/// network, and only the listed host folders bound in.
public struct Sandbox: Sendable, Equatable {
    /// A host folder bound into the sandbox.
    public struct Bind: Sendable, Equatable {
        public var source: String
        public var destination: String
        public var writable: Bool

        public init(_ source: String, at destination: String? = nil, writable: Bool) {
            self.source = source
            self.destination = destination ?? source
            self.writable = writable
        }
    }

    /// One top-level entry of the rootfs.
    public enum RootEntry: Sendable, Equatable {
        case directory(String)
        case symlink(String, target: String)
    }

    /// The unpacked rootfs on the host.
    public var root: String
    /// Its top-level entries (read with `entries(of:)`).
    public var entries: [RootEntry]
    /// Host folders bound in, in order (a later bind may cover part of an earlier one).
    public var binds: [Bind] = []
    public var workingDirectory = "/"
    /// The whole environment inside (nothing else is inherited).
    public var environment: [String: String] = [:]

    /// Mounted by bwrap itself, never bound from the rootfs.
    package static let specialMounts: Set<String> = ["proc", "dev", "sys", "tmp"]

    public init(root: String, entries: [RootEntry]) {
        self.root = root
        self.entries = entries
    }

    /// The `bwrap` arguments that run `command`. The new root starts as an empty tmpfs, gets
    /// the rootfs's top-level folders bound read-only (so mount points for the binds can be
    /// made in it) and is itself made read-only last. A non-system top-level folder that a
    /// bind lands in (`/root`, `/home`, `/srv`...) is left out, so its mount point can be made.
    public func arguments(command: [String]) -> [String] {
        var args: [String] = []
        for entry in entries {
            switch entry {
            case .directory(let name) where !Self.specialMounts.contains(name) && !holdsBind(name):
                args += ["--ro-bind", "\(root)/\(name)", "/\(name)"]
            case .symlink(let name, let target):
                args += ["--symlink", target, "/\(name)"]
            case .directory:
                continue
            }
        }
        args += ["--proc", "/proc", "--dev", "/dev", "--ro-bind", "/sys", "/sys", "--tmpfs", "/tmp"]
        for bind in binds {
            args += [bind.writable ? "--bind" : "--ro-bind", bind.source, bind.destination]
        }
        args += ["--remount-ro", "/", "--unshare-net", "--unshare-ipc", "--unshare-pid", "--die-with-parent"]
        args += ["--chdir", workingDirectory, "--clearenv"]
        for key in environment.keys.sorted() {
            args += ["--setenv", key, environment[key]!]
        }
        return args + ["--"] + command
    }

    /// Whether a bind lands in the top-level folder `name` and the folder is not a system one.
    private func holdsBind(_ name: String) -> Bool {
        !Self.hidesRootfs("/" + name)
            && binds.contains { $0.destination == "/" + name || $0.destination.hasPrefix("/\(name)/") }
    }

    /// The environment of every lab command: ftlab and the pinned pair on PATH, the lab's cache,
    /// plus the host's terminal settings (`TERM`, `NO_COLOR`) when set.
    public static func labEnvironment(host: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = [
            "PATH": "\(ContainerRootfs.home)/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": "/root",
            "LANG": "C.UTF-8",
            "FTLAB_CACHE": ContainerRootfs.cache,
        ]
        for key in ["TERM", "NO_COLOR"] { environment[key] = host[key] }
        return environment
    }

    /// Whether binding a host folder at `path` would hide part of the rootfs itself.
    public static func hidesRootfs(_ path: String) -> Bool {
        let system = ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/opt", "/proc", "/run", "/sbin",
                      "/sys", "/usr", "/var"]
        let clean = (path as NSString).standardizingPath
        return clean == "/" || clean == "/tmp" || system.contains { clean == $0 || clean.hasPrefix($0 + "/") }
    }

    /// The top-level entries of the rootfs unpacked at `root`, sorted by name.
    public static func entries(of root: String) -> [RootEntry] {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        return names.compactMap { name in
            if let target = try? fm.destinationOfSymbolicLink(atPath: "\(root)/\(name)") {
                return .symlink(name, target: target)
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: "\(root)/\(name)", isDirectory: &isDirectory), isDirectory.boolValue else {
                return nil
            }
            return .directory(name)
        }
    }
}
