import Testing
import FTLabCore
import FTLabRunner

@Suite struct ProcessPlacementTests {
    @Test func launcherArgumentsCarryTheProcessSetAndMemoryPolicy() throws {
        let compact = try Planner.plan(threads: 2, policy: .compact, topology: SysfsFixture.thisMachine.topology())
        #expect(ProcessPlacement.launcherArguments(for: compact) == ["_launch", "--cpus", "0-1", "--mem", "local", "--"])
        let node3 = try Planner.plan(threads: 2, policy: .node(3), topology: SysfsFixture.fourNodeMemoryless.topology())
        #expect(ProcessPlacement.launcherArguments(for: node3) == ["_launch", "--cpus", "6-7", "--mem", "bind:0", "--"])
        let none = try Planner.plan(threads: 2, policy: .none, topology: SysfsFixture.twoSocket.topology())
        #expect(ProcessPlacement.launcherArguments(for: none) == ["_launch", "--"])
    }

    @Test func parsesMemoryArguments() throws {
        #expect(try ProcessPlacement.parseMemory("local") == (.local, []))
        #expect(try ProcessPlacement.parseMemory("bind:0") == (.bind, [0]))
        #expect(try ProcessPlacement.parseMemory("interleave:0-3") == (.interleave, [0, 1, 2, 3]))
    }

    @Test(arguments: ["bind", "bind:", "local:0", "preferred:0", "interleave:1-0", ""])
    func rejectsBadMemoryArguments(text: String) {
        #expect {
            try ProcessPlacement.parseMemory(text)
        } throws: { error in
            (error as? LaunchError)?.exitCode == 2 && "\(error)".contains("--mem \"\(text)\"")
        }
    }

    @Test func resolvesProgramsOnThePath() {
        #expect(findOnPath("sh", environment: ["PATH": "/nonexistent:/bin"]) == "/bin/sh")
        #expect(findOnPath("bin", environment: ["PATH": "/"]) == nil)
        #expect(findOnPath("no-such-program-ftlab", environment: ["PATH": "/bin:/usr/bin"]) == nil)
        #expect(findOnPath("/bin/sh", environment: ["PATH": ""]) == "/bin/sh")
    }

    @Test func execFailuresExit127() {
        #expect(LaunchError.programNotFound(program: "x", searchPath: "/bin").exitCode == 127)
        #expect(LaunchError.execFailed(program: "/x", reason: "Permission denied").exitCode == 127)
        #expect(LaunchError.missingProgram.exitCode == 2)
    }
}
