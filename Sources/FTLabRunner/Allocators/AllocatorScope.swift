import Foundation
import FTLabCore
import FTLabInterpreters

/// Which allocations a swapped-in (preloaded) allocator serves: the CSV's `allocator_scope`.
///
/// CPython allocates through three domains: raw (`PyMem_RawMalloc`: the C `malloc`, except on
/// free-threaded builds from 3.15 on, where it goes to the bundled mimalloc too, CPython
/// gh-144914), mem and object (pymalloc on a GIL build by default; always the bundled mimalloc
/// on a free-threaded build). `LD_PRELOAD` replaces `malloc` itself, so it reaches the mem and
/// object domains only where `PYTHONMALLOC` routes them to `malloc`. Scopes differ by build and
/// by release, so allocator figures compare only within one scope.
public enum AllocatorScope: String, Sendable {
    /// Every Python allocation: a GIL build with the library preloaded and
    /// `PYTHONMALLOC=malloc` (or `malloc_debug`).
    case all
    /// Raw and C-level allocations only (the interpreter's own `malloc` calls, extensions,
    /// libraries): the library is preloaded but objects stay on pymalloc (GIL build without
    /// `PYTHONMALLOC=malloc`, or with `pymalloc`/`mimalloc`/`debug`) or on the bundled mimalloc
    /// (free-threaded build, always).
    case raw
    /// Only what calls the C `malloc` directly, outside CPython's three domains: C extensions
    /// and libraries. A free-threaded build from 3.15 on (raw, mem and object all on mimalloc).
    case extensions
    /// Nothing is swapped: the library is not in `LD_PRELOAD`. A GIL build run with
    /// `PYTHONMALLOC=malloc` is still `none` (glibc serves everything, pymalloc is off); the
    /// `env` column records that choice.
    case none

    /// The scope of `library` in a process started with `environment` (the variables set,
    /// after the user's `--env` settings won), so the CSV stays honest when the user overrides
    /// `LD_PRELOAD` or `PYTHONMALLOC`.
    ///
    /// `library` counts as preloaded when an `LD_PRELOAD` entry (separated by `:` or spaces)
    /// names the same file, by path or by bare file name. A free-threaded build refuses
    /// `PYTHONMALLOC=malloc`, `malloc_debug` and `pymalloc` at start-up ("unknown allocator"), so
    /// such a process fails whatever the scope says. `-E`/`-I` would make Python ignore
    /// `PYTHONMALLOC`; ftlab does not pass them.
    /// `version` (`X.Y.Z`; nil when unknown) decides the free-threaded raw domain: `malloc` before
    /// 3.15, mimalloc from 3.15 on.
    public static func effective(
        environment: [String: String], build: Interpreter.Build, version: String? = nil, library: String?
    ) -> AllocatorScope {
        guard let library, preloads(environment["LD_PRELOAD"] ?? "", library) else { return .none }
        switch build {
        case .native:
            return .none  // native-swift runs only on the system allocator
        case .freethreaded:
            return rawDomainIsMimalloc(version) ? .extensions : .raw
        case .gil:
            return ["malloc", "malloc_debug"].contains(environment["PYTHONMALLOC"] ?? "") ? .all : .raw
        }
    }

    /// Whether a free-threaded `version` routes `PyMem_RawMalloc` to mimalloc (3.15 and later).
    package static func rawDomainIsMimalloc(_ version: String?) -> Bool {
        guard let version else { return false }
        return !ReleaseNumber.precedes(version, "3.15")
    }

    private static func preloads(_ preload: String, _ library: String) -> Bool {
        let target = SharedObject.realPath(library) ?? library
        return preload.split(whereSeparator: { $0 == ":" || $0 == " " }).contains { entry in
            let entry = String(entry)
            if !entry.contains("/") { return entry == (library as NSString).lastPathComponent }
            return (SharedObject.realPath(entry) ?? entry) == target
        }
    }
}
