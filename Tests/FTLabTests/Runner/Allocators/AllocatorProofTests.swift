import Foundation
import Testing
import FTLabRunner
import FTLabInterpreters

/// Real interpreters started with the environment `AllocatorRegistry.choice` gives: the
/// library is mapped, and jemalloc's own statistics show which allocations it served.
@Suite(.tags(.integration, .needsLab), .skippedInUnitRuns)
struct AllocatorProofTests {
    /// What the process saw, through the harness's own helpers, after keeping ~40 MB of dicts alive.
    struct Seen: Decodable {
        var mappedLibraries: [String]
        var allocatorStats: [String: Double]
        enum CodingKeys: String, CodingKey {
            case mappedLibraries = "mapped_libraries", allocatorStats = "allocator_stats"
        }
    }

    static let snippet = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import _ftlab_proc
        keep = [{"k": i} for i in range(200_000)]
        libraries = _ftlab_proc.mapped_libraries()
        print(json.dumps({"mapped_libraries": libraries, "allocator_stats": _ftlab_proc.allocator_stats(libraries)}))
        """
    /// The dicts alone take ~40 MB: served by jemalloc when the scope is `all`, not when `raw`.
    static let objectBytes = 32.0 * 1_048_576
    static let rawBytes = 16.0 * 1_048_576

    /// Runs the snippet with exactly `environment` (nothing inherited).
    static func run(_ build: Interpreter.Build, environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let settings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try runProgram("/usr/bin/env", ["-i"] + settings + [try TestPaths.labPython(build), "-c", snippet,
                                                                    TestPaths.repository + "/Workloads/_harness"])
    }

    static func seen(_ build: Interpreter.Build, environment: [String: String]) throws -> Seen {
        let result = try run(build, environment: environment)
        try #require(result.status == 0, "\(build) interpreter failed: \(result.stderr)")
        return try JSONDecoder().decode(Seen.self, from: Data(result.stdout.utf8))
    }

    @Test(arguments: ["jemalloc", "mimalloc", "tcmalloc"], [Interpreter.Build.gil, .freethreaded])
    func theChosenLibraryIsMapped(name: String, build: Interpreter.Build) async throws {
        let choice = AllocatorRegistry.choice(for: try await AllocatorRegistry.resolve(name), build: build)
        let seen = try Self.seen(build, environment: choice.environment)
        let evidence = AllocatorEvidence.check(choice, mappedLibraries: seen.mappedLibraries, allocatorStats: seen.allocatorStats)
        #expect(evidence.verified, "\(evidence.message)")
        #expect(choice.scope == (build == .gil ? "all" : "raw"))
    }

    @Test func scopeAllSendsObjectsToJemallocOnTheGILBuild() async throws {
        let choice = AllocatorRegistry.choice(for: try await AllocatorRegistry.resolve("jemalloc"), build: .gil)
        let allocated = try #require(try Self.seen(.gil, environment: choice.environment).allocatorStats["jemalloc.stats.allocated"])
        #expect(allocated > Self.objectBytes)
    }

    @Test func withoutPYTHONMALLOCTheGILBuildKeepsObjectsOnPymalloc() async throws {
        var environment = AllocatorRegistry.choice(for: try await AllocatorRegistry.resolve("jemalloc"), build: .gil).environment
        environment["PYTHONMALLOC"] = nil
        let library = try #require(environment["LD_PRELOAD"])
        #expect(AllocatorScope.effective(environment: environment, build: .gil, library: library) == .raw)
        let allocated = try #require(try Self.seen(.gil, environment: environment).allocatorStats["jemalloc.stats.allocated"])
        #expect(allocated > 0 && allocated < Self.rawBytes)
    }

    @Test func theFreeThreadedBuildKeepsObjectsOnItsMimalloc() async throws {
        let choice = AllocatorRegistry.choice(for: try await AllocatorRegistry.resolve("jemalloc"), build: .freethreaded)
        let allocated = try #require(try Self.seen(.freethreaded, environment: choice.environment).allocatorStats["jemalloc.stats.allocated"])
        #expect(allocated > 0 && allocated < Self.rawBytes)
    }

    @Test func theFreeThreadedBuildRefusesPYTHONMALLOCMalloc() async throws {
        let gilEnvironment = AllocatorRegistry.choice(for: try await AllocatorRegistry.resolve("jemalloc"), build: .gil).environment
        let result = try Self.run(.freethreaded, environment: gilEnvironment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("PYTHONMALLOC: unknown allocator"))
    }
}
