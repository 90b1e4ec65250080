import Testing
@testable import FTLabRunner
import FTLabInterpreters

/// What applying an allocator means on each build, and how the user's `--env` changes it.
@Suite struct AllocatorScopeTests {
    static let library = "/opt/lib/libjemalloc.so.2"
    static let jemalloc = Allocator(name: "jemalloc", path: library, version: "5.3.0-1")

    @Test func choicePerBuild() {
        let table: [(Allocator, Interpreter.Build, String, [String: String], String?)] = [
            (.system, .gil, "none", [:], nil),
            (.system, .freethreaded, "none", [:], nil),
            (Self.jemalloc, .gil, "all", ["LD_PRELOAD": Self.library, "PYTHONMALLOC": "malloc"], Self.library),
            (Self.jemalloc, .freethreaded, "raw", ["LD_PRELOAD": Self.library], Self.library),
        ]
        for (allocator, build, scope, environment, expected) in table {
            let choice = AllocatorRegistry.choice(for: allocator, build: build)
            #expect(choice == AllocatorChoice(name: allocator.name, scope: scope, environment: environment, expectedLibrary: expected),
                    "\(allocator.name) on \(build)")
        }
    }

    @Test(arguments: [
        // GIL build: only PYTHONMALLOC=malloc(_debug) sends objects to the preloaded library.
        (Interpreter.Build.gil, ["LD_PRELOAD": library, "PYTHONMALLOC": "malloc"], AllocatorScope.all),
        (.gil, ["LD_PRELOAD": library, "PYTHONMALLOC": "malloc_debug"], .all),
        (.gil, ["LD_PRELOAD": library], .raw),
        (.gil, ["LD_PRELOAD": library, "PYTHONMALLOC": "pymalloc"], .raw),
        (.gil, ["LD_PRELOAD": library, "PYTHONMALLOC": "mimalloc"], .raw),
        (.gil, ["LD_PRELOAD": library, "PYTHONMALLOC": "debug"], .raw),
        // Not preloaded: nothing swapped, even with pymalloc turned off.
        (.gil, ["PYTHONMALLOC": "malloc"], .none),
        (.gil, ["LD_PRELOAD": "", "PYTHONMALLOC": "malloc"], .none),
        (.gil, ["LD_PRELOAD": "/opt/lib/libtcmalloc.so.4", "PYTHONMALLOC": "malloc"], .none),
        // LD_PRELOAD lists, by colon or space, and bare file names.
        (.gil, ["LD_PRELOAD": "/opt/lib/libprofiler.so:\(library)", "PYTHONMALLOC": "malloc"], .all),
        (.gil, ["LD_PRELOAD": "/opt/lib/libprofiler.so \(library)"], .raw),
        (.gil, ["LD_PRELOAD": "libjemalloc.so.2", "PYTHONMALLOC": "malloc"], .all),
        // Free-threaded build: objects always stay on the bundled mimalloc.
        (.freethreaded, ["LD_PRELOAD": library], .raw),
        (.freethreaded, ["LD_PRELOAD": library, "PYTHONMALLOC": "mimalloc"], .raw),
        (.freethreaded, [:], .none),
    ])
    func effectiveScope(build: Interpreter.Build, environment: [String: String], scope: AllocatorScope) {
        #expect(AllocatorScope.effective(environment: environment, build: build, library: Self.library) == scope)
    }

    @Test func systemIsNeverSwappedWhateverThePreload() {
        #expect(AllocatorScope.effective(environment: ["LD_PRELOAD": Self.library, "PYTHONMALLOC": "malloc"],
                                         build: .gil, library: nil) == .none)
    }

    @Test func theUsersEnvWinsAndTheScopeFollows() {
        let choice = AllocatorRegistry.choice(for: Self.jemalloc, build: .gil)
        let user = ["PYTHONMALLOC": "pymalloc"]
        let final = choice.environment.merging(user) { _, mine in mine }
        #expect(AllocatorScope.effective(environment: final, build: .gil, library: choice.expectedLibrary) == .raw)
    }

    @Test(.tags(.integration), .skippedInUnitRuns) func aSymlinkInLDPreloadCountsAsItsFile() async throws {
        let listed = try await #require(LibraryLocator.host().find(["libmimalloc.so.2"]))
        let real = try #require(SharedObject.realPath(listed))
        #expect(listed != real)
        #expect(AllocatorScope.effective(environment: ["LD_PRELOAD": listed], build: .freethreaded, library: real) == .raw)
    }
}

/// Judging whether a swap took effect from what the harness reports.
@Suite struct AllocatorEvidenceTests {
    static let jemalloc = AllocatorChoice(name: "jemalloc", scope: "all", expectedLibrary: "/opt/lib/libjemalloc.so.2")
    static let mimalloc = AllocatorChoice(name: "mimalloc", scope: "raw", expectedLibrary: "/opt/lib/libmimalloc.so.2.0")
    static let maps = ["/usr/lib/libc.so.6", "/opt/lib/libjemalloc.so.2", "/opt/lib/libmimalloc.so.2.0"]

    @Test func jemallocNeedsToBeMappedAndToReportAllocations() {
        let ok = AllocatorEvidence.check(Self.jemalloc, mappedLibraries: Self.maps, allocatorStats: ["jemalloc.stats.allocated": 123_456])
        #expect(ok == AllocatorEvidence(verified: true, message: "/opt/lib/libjemalloc.so.2 is mapped; jemalloc stats.allocated = 123456 bytes"))
        let silent = AllocatorEvidence.check(Self.jemalloc, mappedLibraries: Self.maps, allocatorStats: [:])
        #expect(!silent.verified && silent.message.contains("no stats.allocated"))
        let zero = AllocatorEvidence.check(Self.jemalloc, mappedLibraries: Self.maps, allocatorStats: ["jemalloc.stats.allocated": 0])
        #expect(!zero.verified)
    }

    @Test func aLibraryThatIsNotMappedDidNotTakeEffect() {
        let evidence = AllocatorEvidence.check(Self.mimalloc, mappedLibraries: ["/usr/lib/libc.so.6"], allocatorStats: [:])
        #expect(evidence == AllocatorEvidence(verified: false,
            message: "allocator mimalloc did not take effect: /opt/lib/libmimalloc.so.2.0 is not mapped in the process"))
        #expect(AllocatorEvidence.check(Self.mimalloc, mappedLibraries: Self.maps, allocatorStats: [:]).verified)
    }

    @Test func systemHasNothingToProve() {
        #expect(AllocatorEvidence.check(.system, mappedLibraries: [], allocatorStats: [:]).verified)
    }
}
