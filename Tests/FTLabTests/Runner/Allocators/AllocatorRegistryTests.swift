import Foundation
import Testing
@testable import FTLabRunner

/// Finding allocator libraries on this machine, and refusing values that are not one (through
/// `ldconfig -p`, `dpkg-query` and a trial preload).
@Suite(.tags(.integration), .skippedInUnitRuns)
struct AllocatorRegistryTests {
    @Test(arguments: ["jemalloc", "mimalloc", "tcmalloc"])
    func findsTheInstalledLibraryAsItsRealFile(name: String) async throws {
        let allocator = try await AllocatorRegistry.resolve(name)
        let path = try #require(allocator.path)
        #expect(allocator.name == name)
        #expect(path.hasPrefix("/") && (path as NSString).lastPathComponent.contains(name.prefix(6)))
        #expect(SharedObject.realPath(path) == path)
        await #expect(SharedObject.problem(at: path) == nil)
        // Installed from Debian here, so the version is the package's.
        #expect(allocator.package != nil)
        #expect(allocator.version.first?.isNumber == true)
    }

    @Test func systemPreloadsNothing() async throws {
        let system = try await AllocatorRegistry.resolve("system")
        #expect(system.path == nil)
        #expect(system.version.hasPrefix("glibc "))
    }

    @Test func theLoaderCacheAndTheLibraryFoldersEachFindTheSameFiles() async throws {
        let host = await LibraryLocator.host()
        let cacheOnly = LibraryLocator(cache: host.cache, directories: [])
        let foldersOnly = LibraryLocator(cache: [], directories: host.directories)
        for name in ["jemalloc", "mimalloc", "tcmalloc"] {
            let found = try await AllocatorRegistry.resolve(name, locator: host)
            await #expect(try AllocatorRegistry.resolve(name, locator: cacheOnly) == found)
            await #expect(try AllocatorRegistry.resolve(name, locator: foldersOnly) == found)
        }
    }

    @Test func aPathIsAcceptedAndResolvedThroughSymlinks() async throws {
        let listed = try await #require(LibraryLocator.host().find(["libmimalloc.so.2"]))
        let allocator = try await AllocatorRegistry.resolve(listed)
        #expect(allocator.name == listed)
        #expect(allocator.path == SharedObject.realPath(listed))
    }

    @Test func unknownNameNamesItAndWhatIsInstalled() async throws {
        let jemalloc = try #require(try await AllocatorRegistry.resolve("jemalloc").path)
        let error = await #expect(throws: AllocatorError.self) { try await AllocatorRegistry.resolve("hoard") }
        let text = try #require(error).description
        #expect(text.hasPrefix("unknown allocator \"hoard\"; accepted: system, jemalloc, mimalloc, tcmalloc or a path to a shared library (.so); on this machine: system (glibc "))
        #expect(text.contains("jemalloc \(jemalloc) ("))
        #expect(error?.exitCode == 2)
    }

    @Test(arguments: [
        ("/etc/hostname", "not an ELF file"),
        ("/nonexistent/libfoo.so", "no such file"),
        ("/usr/lib", "a directory, not a file"),
        ("/bin/true", "the dynamic loader refused to preload it: cannot dynamically load position-independent executable"),
    ])
    func pathsThatCannotBePreloadedAreRefused(path: String, reason: String) async throws {
        let error = await #expect(throws: AllocatorError.self) { try await AllocatorRegistry.resolve(path) }
        let text = try #require(error).description
        #expect(text.hasPrefix("allocator \"\(path)\" is not a loadable shared library: \(reason)"))
        #expect(text.contains("accepted: system, jemalloc, mimalloc, tcmalloc or a path"))
        #expect(text.contains("on this machine: system"))
    }

    @Test func aKnownNameThatIsNotInstalledSaysWhereItLooked() async throws {
        let nowhere = LibraryLocator(cache: [], directories: [])
        let error = await #expect(throws: AllocatorError.self) { try await AllocatorRegistry.resolve("tcmalloc", locator: nowhere) }
        #expect(error?.description == "allocator \"tcmalloc\" is not installed (no libtcmalloc_minimal.so.4 or libtcmalloc.so.4"
            + " in the loader cache or library folders; Debian package libtcmalloc-minimal4); accepted: system, jemalloc,"
            + " mimalloc, tcmalloc or a path to a shared library (.so); on this machine: system (glibc \(Allocator.cLibraryVersion().dropFirst(6))),"
            + " jemalloc: not installed, mimalloc: not installed, tcmalloc: not installed")
    }

    @Test func installedListsEveryKnownName() async {
        let statuses = await AllocatorRegistry.installed()
        #expect(statuses.map(\.name) == ["system", "jemalloc", "mimalloc", "tcmalloc"])
        #expect(statuses.allSatisfy { $0.installed })
        #expect(AllocatorStatus.summaryText(statuses).contains("tcmalloc /"))
        #expect(AllocatorStatus.summaryText([AllocatorStatus(missing: "tcmalloc")]).contains("tcmalloc not installed"))
    }
}

/// Parsing what the loader and dpkg say.
@Suite struct LibraryLocatorTests {
    @Test(.tags(.integration), .skippedInUnitRuns) func parsesTheLoaderCacheAndSkipsForeignArchitectures() async throws {
        let real = try await #require(LibraryLocator.host().find(["libjemalloc.so.2"]))
        let listing = """
            3 libs found in cache `/etc/ld.so.cache'
            \tlibjemalloc.so.2 (libc6) => /nonexistent/i386-linux-gnu/libjemalloc.so.2
            \tlibjemalloc.so.2 (libc6,x86-64) => \(real)
            \tlibjemalloc.so (libc6,x86-64, OS ABI: Linux 3.2.0) => /lib/libjemalloc.so
            """
        let cache = LibraryLocator.parseCache(listing)
        #expect(cache.map(\.name) == ["libjemalloc.so.2", "libjemalloc.so.2", "libjemalloc.so"])
        #expect(cache[2].path == "/lib/libjemalloc.so")
        #expect(LibraryLocator(cache: cache, directories: []).find(["libjemalloc.so.2"]) == real)
    }

    @Test func aFileMatchesItsNameOrALongerVersion() {
        #expect(LibraryLocator.file("libmimalloc.so.2.0", matches: "libmimalloc.so.2"))
        #expect(LibraryLocator.file("libmimalloc.so.2", matches: "libmimalloc.so.2"))
        #expect(!LibraryLocator.file("libmimalloc.so.20", matches: "libmimalloc.so.2"))
        #expect(!LibraryLocator.file("libmimalloc-secure.so.2", matches: "libmimalloc.so.2"))
    }

    @Test func multiarchTriples() {
        #expect(LibraryLocator.multiarchTriple(machine: "x86_64") == "x86_64-linux-gnu")
        #expect(LibraryLocator.multiarchTriple(machine: "aarch64") == "aarch64-linux-gnu")
        #expect(LibraryLocator.multiarchTriple(machine: "armv7l") == "arm-linux-gnueabihf")
        #expect(LibraryLocator.multiarchTriple(machine: "i686") == "i386-linux-gnu")
        #expect(LibraryLocator.multiarchTriple(machine: "riscv64") == "riscv64-linux-gnu")
        #expect(LibraryLocator.standardDirectories(triple: LibraryLocator.multiarchTriple(machine: LibraryLocator.machine()))
            .allSatisfy { FileManager.default.fileExists(atPath: $0) || $0 == "/usr/local/lib" })
    }

    @Test func parsesDpkgOwners() {
        let path = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
        #expect(DebianPackage.parseOwner("libjemalloc2:amd64: \(path)\n", path: path) == "libjemalloc2:amd64")
        #expect(DebianPackage.parseOwner("diversion by x from: \(path)\na, b: \(path)\n", path: path) == "a")
        #expect(DebianPackage.parseOwner("libc6:amd64: /lib/other.so\n", path: path) == nil)
    }
}
