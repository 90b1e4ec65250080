import Foundation
import FTLabCore

/// Which allocations a swapped-in (preloaded) allocator serves: the CSV's `allocator_scope`.
///
/// CPython allocates through three domains: raw (`PyMem_RawMalloc`, always the C `malloc`),
/// mem and object (pymalloc on a GIL build by default; always the bundled mimalloc on a
/// free-threaded build). `LD_PRELOAD` replaces `malloc` itself, so it reaches the mem and
/// object domains only where `PYTHONMALLOC` routes them to `malloc`.
public enum AllocatorScope: String, Sendable {
    /// Every Python allocation: a GIL build with the library preloaded and
    /// `PYTHONMALLOC=malloc` (or `malloc_debug`).
    case all
    /// Raw and C-level allocations only (the interpreter's own `malloc` calls, extensions,
    /// libraries): the library is preloaded but objects stay on pymalloc (GIL build without
    /// `PYTHONMALLOC=malloc`, or with `pymalloc`/`mimalloc`/`debug`) or on the bundled mimalloc
    /// (free-threaded build, always).
    case raw
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
    public static func effective(environment: [String: String], build: Interpreter.Build, library: String?) -> AllocatorScope {
        guard let library, preloads(environment["LD_PRELOAD"] ?? "", library) else { return .none }
        switch build {
        case .native:
            return .none  // native-swift runs only on the system allocator
        case .freethreaded:
            return .raw
        case .gil:
            return ["malloc", "malloc_debug"].contains(environment["PYTHONMALLOC"] ?? "") ? .all : .raw
        }
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
