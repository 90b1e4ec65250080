import Foundation

/// ftlab's cache folder (interpreter builds, tools, venvs, projects): `$FTLAB_CACHE`, else the bundle's folder when ftlab runs from an
/// unpacked `ftlab bundle` (its pythons are `<bundle>/pythons`), else `${XDG_CACHE_HOME:-$HOME/.cache}/ftlab`.
public struct CacheDirectory: Sendable, Equatable {
    /// The cache's root directory.
    public var root: String

    public init(root: String) {
        self.root = root
    }

    /// The cache named by the environment (`FTLAB_CACHE`, the bundle ftlab runs from, `XDG_CACHE_HOME`, `HOME`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, bundle: BundleHome? = BundleHome.current) {
        if let root = environment["FTLAB_CACHE"], !root.isEmpty {
            self.init(root: root)
        } else if let bundle {
            self.init(root: bundle.root)
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            self.init(root: xdg + "/ftlab")
        } else {
            self.init(root: (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/ftlab")
        }
    }

    /// The install prefix of the lab build `label`.
    public func prefix(_ label: String) -> String { "\(root)/pythons/\(label)" }

    package var pythons: String { "\(root)/pythons" }
    package var sources: String { "\(root)/sources" }
    package var logs: String { "\(root)/logs" }
    package var aptLists: String { "\(root)/apt/lists" }
    /// Builds in progress: nothing here is finished, and the next build removes what is left.
    package var work: String { "\(root)/build" }
}
