import Foundation
import FTLabCore

/// One lab interpreter: a CPython version and build, with its label and executable name.
package struct LabTarget: Hashable, Sendable {
    package var version: String
    package var build: Interpreter.Build

    /// `cpython-3.13.5` for the GIL build, `cpython-3.13.5t` for the free-threaded one.
    package var label: String { "cpython-\(version)\(suffix)" }
    /// The executable inside the prefix: `bin/python3.13` or `bin/python3.13t`.
    package var executable: String { "bin/python\(version.split(separator: ".").prefix(2).joined(separator: "."))\(suffix)" }
    private var suffix: String { build == .freethreaded ? "t" : "" }

    package init(version: String, build: Interpreter.Build) {
        self.version = version
        self.build = build
    }

    /// Parses a label of the form `cpython-X.Y.Z` or `cpython-X.Y.Zt`.
    package init?(label: String) {
        guard label.hasPrefix("cpython-") else { return nil }
        var version = String(label.dropFirst("cpython-".count))
        let freethreaded = version.hasSuffix("t")
        if freethreaded { version.removeLast() }
        guard Self.isVersion(version) else { return nil }
        self.init(version: version, build: freethreaded ? .freethreaded : .gil)
    }

    /// The GIL build and the free-threaded build of `version`, in that order.
    package static func pair(_ version: String) -> [LabTarget] {
        [LabTarget(version: version, build: .gil), LabTarget(version: version, build: .freethreaded)]
    }

    /// Whether `text` is a plain `X.Y.Z` release number.
    package static func isVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Where each lab build's files go inside the cache.
extension CacheDirectory {
    package func buildDir(_ target: LabTarget) -> String { "\(work)/\(target.label)" }
    /// `make install DESTDIR=`: the prefix is installed under it and moved into place once complete.
    package func destdir(_ target: LabTarget) -> String { "\(work)/\(target.label).destdir" }
    /// Where a replaced prefix goes for the moment between the two renames.
    package func replacedPrefix(_ target: LabTarget) -> String { "\(work)/\(target.label).old" }
    package func executable(_ target: LabTarget) -> String { "\(prefix(target.label))/\(target.executable)" }
    package func manifestPath(_ label: String) -> String { "\(prefix(label))/\(LabManifest.fileName)" }

    /// The unfinished lab build `path` lies in, if any: a folder under `build/`, or a prefix
    /// under `pythons/` without a manifest (an install that was cut off). Symlinks are followed.
    package func unfinishedBuild(containing path: String) -> String? {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
        let real = resolved(path)
        for (base, manifestMarksFinished) in [(resolved(work), false), (resolved(pythons), true)] {
            guard real.hasPrefix(base + "/"), let name = real.dropFirst(base.count + 1).split(separator: "/").first
            else { continue }
            let folder = "\(base)/\(name)"
            guard FileManager.default.fileExists(atPath: folder) else { return nil }
            let finished = manifestMarksFinished && FileManager.default.fileExists(atPath: "\(folder)/\(LabManifest.fileName)")
            return finished ? nil : folder
        }
        return nil
    }
}
