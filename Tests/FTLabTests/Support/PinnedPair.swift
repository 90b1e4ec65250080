import Foundation
import FTLabCore
import FTLabInterpreters
import FTLabRunner
import FTLabBuilds

/// The lab's pinned interpreter pair as the tests spell it, all derived from the library's pin
/// (`LabPythons.pinnedVersion`), so that a new pin changes no test. Fixture files keep theirs.
enum PinnedPair {
    /// The pinned CPython release, `X.Y.Z`.
    static let version = LabPythons.pinnedVersion
    /// Its series, `X.Y`.
    static let series = version.split(separator: ".").prefix(2).joined(separator: ".")
    /// Both labels, GIL build first: `cpython-X.Y.Z`, `cpython-X.Y.Zt`.
    static let labels = LabPythons.pinnedLabels
    /// The GIL build's label, `cpython-X.Y.Z`.
    static let gil = labels[0]
    /// The free-threaded build's label, `cpython-X.Y.Zt`.
    static let freeThreaded = labels[1]

    /// The sha256 of every source file the lock accepts for the pinned release.
    static var lockedDigests: Set<String> {
        let lock = try? PythonLock.load(path: TestPaths.repository + "/" + PythonLock.relativePath)
        return Set(lock?.releases.first { $0.version == version }?.sources.map(\.sha256) ?? [])
    }
    /// The pinned release's source file name (the same for every file the lock accepts for it).
    static var sourceFileName: String { "Python-\(version).tar.xz" }

    /// The executable of the pinned `build` in `cache`: `<cache>/pythons/cpython-X.Y.Zt/bin/pythonX.Yt`.
    static func executable(_ build: Interpreter.Build, cache: CacheDirectory = CacheDirectory()) -> String {
        cache.executable(LabTarget(version: version, build: build))
    }
}
