import Foundation
import FTLabCore
import FTLabInterpreters
import Testing
import FTLabRunner
import FTLabBuilds


/// A fresh directory under the system temp dir, removed by the caller.
private func interpreterScratchDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ftlab-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes `text` to `path` with the given permissions.
private func write(_ text: String, to path: String, permissions: Int) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
}

/// A shell script that answers the probe like an interpreter of the given kind.
private func fakePython(in directory: String, implementation: String, version: [Int]) throws -> String {
    let path = "\(directory)/fake-python"
    let answer = """
        {"version": \(version), "implementation": "\(implementation)", "gil_disabled": false, \
        "gil_enabled": true, "sys_version": "fake", "config_args": "", "compiler": "GCC"}
        """
    try write("#!/bin/sh\necho '\(answer)'\n", to: path, permissions: 0o755)
    return path
}

@Suite("The lab pair (needs `ftlab lab pythons` to have run)", .tags(.needsLab), .skippedInUnitRuns)
struct LabPairTests {
    @Test(.tags(.integration), .skippedInUnitRuns) func pairProbesAsGILAndFreeThreaded() async throws {
        // Throws notBuilt, naming the missing executable and `ftlab lab pythons`, when the pair is missing.
        let pair = try await InterpreterResolver.resolve("lab")
        try #require(pair.count == 2)
        let (gil, freethreaded) = (pair[0], pair[1])
        #expect(gil.label == PinnedPair.gil)
        #expect(gil.version == PinnedPair.version)
        #expect(gil.implementation == "cpython")
        #expect(gil.build == .gil)
        #expect(gil.gilEnabledByDefault)
        #expect(freethreaded.label == PinnedPair.freeThreaded)
        #expect(freethreaded.version == PinnedPair.version)
        #expect(freethreaded.build == .freethreaded)
        #expect(!freethreaded.gilEnabledByDefault)
        #expect(freethreaded.path == PinnedPair.executable(.freethreaded))
        #expect(freethreaded.configureArgs.contains("--disable-gil"))
        #expect(!gil.configureArgs.contains("--disable-gil"))
        for interpreter in pair {
            #expect(PinnedPair.lockedDigests.contains(interpreter.sourceSHA256 ?? "none"), "\(String(describing: interpreter.sourceSHA256))")
        }
        #expect(await LabPythons.installedPair() == pair)
    }

    @Test(.tags(.integration), .skippedInUnitRuns) func labLabelsAndPathsResolveToTheSameBuild() async throws {
        let byLabel = try await InterpreterResolver.resolve(PinnedPair.freeThreaded)
        let byPath = try await InterpreterResolver.resolve(try #require(byLabel.first).path)
        #expect(byPath == byLabel)
    }

    @Test func manifestRecordsTheBuild() throws {
        let manifests = LabPythons.builds()
        for label in PinnedPair.labels {
            let manifest = try #require(manifests.first { $0.label == label }, "\(label) has no manifest")
            #expect(PinnedPair.lockedDigests.contains(manifest.source.sha256), "\(manifest.source.sha256)")
            #expect(manifest.sysVersion.hasPrefix(PinnedPair.version))
            #expect(manifest.configureFlags.contains("--disable-gil") == label.hasSuffix("t"))
        }
    }
}

@Suite("Interpreter specs that are refused")
struct InterpreterRefusalTests {
    @Test func missingPath() async {
        await #expect(throws: InterpreterError.noSuchFile(path: "/nonexistent/python3")) {
            try await InterpreterResolver.resolve("/nonexistent/python3")
        }
    }

    @Test func notExecutable() async throws {
        let directory = try interpreterScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("print(1)\n", to: "\(directory)/python", permissions: 0o644)
        await #expect(throws: InterpreterError.notExecutable(path: "\(directory)/python")) {
            try await InterpreterResolver.resolve("\(directory)/python")
        }
        await #expect(throws: InterpreterError.notExecutable(path: directory)) {
            try await InterpreterResolver.resolve(directory + "/")
        }
    }

    @Test(.tags(.integration), .skippedInUnitRuns) func notPython() async throws {
        let error = await #expect(throws: InterpreterError.self) {
            try await InterpreterResolver.resolve("/bin/true")
        }
        guard case .notPython(let path, _) = error else {
            Issue.record("expected notPython, got \(String(describing: error))")
            return
        }
        #expect(path == "/bin/true")
    }

    @Test(.tags(.integration), .skippedInUnitRuns) func notCPythonAndTooOld() async throws {
        let directory = try interpreterScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pypy = try fakePython(in: directory, implementation: "pypy", version: [3, 11, 0])
        await #expect(throws: InterpreterError.notCPython(path: pypy, implementation: "pypy")) {
            try await InterpreterResolver.resolve(pypy)
        }
        let old = try fakePython(in: directory, implementation: "cpython", version: [3, 9, 18])
        await #expect(throws: InterpreterError.tooOld(path: old, version: "3.9.18")) {
            try await InterpreterResolver.resolve(old)
        }
        let fine = try fakePython(in: directory, implementation: "cpython", version: [3, 10, 0])
        #expect(try await InterpreterResolver.resolve(fine).first?.label == fine)
    }

    @Test func unknownLabelListsTheKnownOnes() async throws {
        let cache = CacheDirectory(root: try interpreterScratchDirectory())
        defer { try? FileManager.default.removeItem(atPath: cache.root) }
        let error = await #expect(throws: InterpreterError.self) {
            try await InterpreterResolver.resolve("no-such-python-anywhere", cache: cache)
        }
        #expect(error == .unknownLabel("no-such-python-anywhere", known: PinnedPair.labels + ["lab", "ladder"]))
        #expect(error?.description.contains("ftlab lab pythons") == true)
        #expect(error?.exitCode == 2)
    }

    @Test func labLabelNotBuilt() async throws {
        let cache = CacheDirectory(root: try interpreterScratchDirectory())
        defer { try? FileManager.default.removeItem(atPath: cache.root) }
        await #expect(throws: InterpreterError.notBuilt(
            label: PinnedPair.freeThreaded, executable: PinnedPair.executable(.freethreaded, cache: cache))
        ) {
            try await InterpreterResolver.resolve(PinnedPair.freeThreaded, cache: cache)
        }
        await #expect(throws: InterpreterError.notBuilt(
            label: PinnedPair.gil, executable: PinnedPair.executable(.gil, cache: cache))
        ) {
            try await InterpreterResolver.resolve("lab", cache: cache)
        }
        let error = await #expect(throws: InterpreterError.self) {
            try await InterpreterResolver.resolve("cpython-3.14.0t", cache: cache)
        }
        #expect(error?.description.contains("ftlab lab pythons --version 3.14.0") == true)
    }

    @Test("paths in build/ or in a prefix without a manifest are unfinished; a finished prefix is not")
    func unfinishedBuilds() throws {
        let cache = CacheDirectory(root: TestPaths.scratch("unfinished"))
        let target = LabTarget(version: "3.13.5", build: .gil)
        let fm = FileManager.default
        #expect(cache.unfinishedBuild(containing: cache.executable(target)) == nil, "no prefix at all: not built")
        try fm.createDirectory(atPath: cache.prefix(target.label) + "/bin", withIntermediateDirectories: true)
        #expect(cache.unfinishedBuild(containing: cache.executable(target)) == cache.prefix(target.label))
        try "{}".write(toFile: cache.manifestPath(target.label), atomically: true, encoding: .utf8)
        #expect(cache.unfinishedBuild(containing: cache.executable(target)) == nil)
        try fm.createDirectory(atPath: cache.destdir(target), withIntermediateDirectories: true)
        #expect(cache.unfinishedBuild(containing: cache.destdir(target) + "/x/bin/python3.13") == cache.destdir(target))
        #expect(cache.unfinishedBuild(containing: "/usr/bin/python3") == nil)
    }
}

@Suite("Lab sources and options")
struct LabSourceTests {
    @Test(.tags(.integration), .skippedInUnitRuns) func checksumMismatchIsRefused() async throws {
        let directory = try interpreterScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = "\(directory)/source.tar.xz"
        try write("hello\n", to: file, permissions: 0o644)
        let actual = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
        let wrong = String(repeating: "0", count: 64)
        await #expect(throws: LabError.checksumMismatch(file: file, expected: wrong, actual: actual, keptAt: nil)) {
            try await LabSource.verify(file, sha256: wrong)
        }
        try await LabSource.verify(file, sha256: actual.uppercased())
    }

    @Test func cacheRootFollowsTheEnvironment() {
        #expect(CacheDirectory(environment: ["FTLAB_CACHE": "/c", "HOME": "/h"]).root == "/c")
        #expect(CacheDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]).root == "/x/ftlab")
        #expect(CacheDirectory(environment: ["HOME": "/h"]).root == "/h/.cache/ftlab")
        #expect(CacheDirectory(root: "/c").executable(LabTarget(version: "3.14.0", build: .freethreaded))
            == "/c/pythons/cpython-3.14.0t/bin/python3.14t")
    }

    @Test func labelsParse() {
        #expect(LabTarget(label: "cpython-3.14.0t") == LabTarget(version: "3.14.0", build: .freethreaded))
        #expect(LabTarget(label: "cpython-3.14.0") == LabTarget(version: "3.14.0", build: .gil))
        #expect(LabTarget(label: "cpython-3.14") == nil)
        #expect(LabTarget(label: "python3.14t") == nil)
    }
}
