import Foundation
import FTLabInterpreters

/// The allocators ftlab can swap in: `system` (the C library's malloc), `jemalloc`,
/// `mimalloc` and `tcmalloc` (found the way the dynamic loader finds them), or any shared
/// library given by path.
public enum AllocatorRegistry {
    /// A library ftlab knows by name: the file names the loader knows it by, in order of
    /// preference, and the Debian package that installs it.
    package struct Known: Sendable {
        package var name: String
        package var files: [String]
        package var debianPackage: String
    }

    package static let known = [
        Known(name: "jemalloc", files: ["libjemalloc.so.2"], debianPackage: "libjemalloc2"),
        Known(name: "mimalloc", files: ["libmimalloc.so.2"], debianPackage: "libmimalloc2.0"),
        Known(name: "tcmalloc", files: ["libtcmalloc_minimal.so.4", "libtcmalloc.so.4"],
              debianPackage: "libtcmalloc-minimal4"),
    ]

    /// The names `resolve` accepts besides a path.
    public static let knownNames = ["system"] + known.map(\.name)

    /// Resolves an `--allocator` value: a known name, or a path (anything containing `/`) to a
    /// shared library this machine can load. Throws, naming the value and what is installed.
    public static func resolve(_ spec: String) async throws(AllocatorError) -> Allocator {
        try await resolve(spec, locator: .host())
    }

    package static func resolve(_ spec: String, locator: LibraryLocator) async throws(AllocatorError) -> Allocator {
        if spec == "system" { return .system }
        if spec.contains("/") {
            var problem = await SharedObject.problem(at: spec)
            if problem == nil { problem = preloadProblem(spec) }
            if let reason = problem {
                throw .notALibrary(path: spec, reason: reason, installed: await installed(locator: locator))
            }
            return await library(named: spec, at: spec)
        }
        guard let entry = known.first(where: { $0.name == spec }) else {
            throw .unknownName(spec, installed: await installed(locator: locator))
        }
        guard let found = locator.find(entry.files) else {
            throw .notInstalled(spec, looked: entry.files, debianPackage: entry.debianPackage,
                                installed: await installed(locator: locator))
        }
        return await library(named: spec, at: found)
    }

    /// Every known allocator and whether it is installed here (`ftlab env`).
    public static func installed() async -> [AllocatorStatus] { await installed(locator: .host()) }

    package static func installed(locator: LibraryLocator) async -> [AllocatorStatus] {
        var statuses = [AllocatorStatus(installed: .system)]
        for entry in known {
            if let path = locator.find(entry.files) {
                statuses.append(AllocatorStatus(installed: await library(named: entry.name, at: path)))
            } else {
                statuses.append(AllocatorStatus(missing: entry.name))
            }
        }
        return statuses
    }

    /// How `allocator` is applied to an interpreter of `build`:
    /// - a library on a GIL build: `LD_PRELOAD=<path>` and `PYTHONMALLOC=malloc`, scope `all`;
    /// - a library on a free-threaded build: `LD_PRELOAD=<path>` only (it refuses
    ///   `PYTHONMALLOC=malloc`), scope `raw`: objects stay on the bundled mimalloc (from 3.15
    ///   the raw domain does too: scope `extensions`);
    /// - `system`: no environment, scope `none` (pymalloc, or mimalloc when free-threaded).
    /// `expectedLibrary` is the resolved path, which must show up in the process's mapped libraries.
    public static func choice(for allocator: Allocator, build: Interpreter.Build, version: String? = nil) -> AllocatorChoice {
        guard let path = allocator.path else { return AllocatorChoice(name: allocator.name, scope: AllocatorScope.none.rawValue) }
        var environment = ["LD_PRELOAD": path]
        if build == .gil { environment["PYTHONMALLOC"] = "malloc" }
        let scope = AllocatorScope.effective(environment: environment, build: build, version: version, library: path)
        return AllocatorChoice(name: allocator.name, scope: scope.rawValue, environment: environment, expectedLibrary: path)
    }

    /// An allocator for the library at `path`, resolved to its real file, with its version.
    private static func library(named name: String, at path: String) async -> Allocator {
        let real = SharedObject.realPath(path) ?? path
        let package = await DebianPackage.owning(real == path ? [real] : [real, path])
        return Allocator(name: name, path: real, version: package?.version ?? (real as NSString).lastPathComponent,
                         package: package?.name)
    }

    /// `LD_PRELOAD` splits on colons and spaces, so a path holding one cannot be preloaded.
    private static func preloadProblem(_ path: String) -> String? {
        guard let real = SharedObject.realPath(path), real.contains(where: { $0 == ":" || $0 == " " }) else { return nil }
        return "its path \(real) holds a colon or space, which LD_PRELOAD cannot carry"
    }
}
