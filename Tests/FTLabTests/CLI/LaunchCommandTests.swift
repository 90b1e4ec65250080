import Testing
import FTLabCore
import FTLabRunner

/// `ftlab _launch` through the built binary: pinning and memory binding before exec.
@Suite(.tags(.integration), .skippedInUnitRuns)
struct LaunchCommandTests {
    @Test func pinsTheProgramBeforeItStarts() throws {
        let run = try ftlab("_launch", "--cpus", "0", "--mem", "local", "--", "/bin/cat", "/proc/self/status")
        #expect(run.status == 0)
        #expect(run.stdout.contains("Cpus_allowed_list:\t0\n"))
    }

    @Test func findsTheProgramOnPath() throws {
        let run = try ftlab("_launch", "--cpus", "0", "--", "cat", "/proc/self/status")
        #expect(run.status == 0)
        #expect(run.stdout.contains("Cpus_allowed_list:\t0\n"))
    }

    @Test(.enabled(if: (try? Topology.read())?.warnings.allSatisfy { !$0.hasPrefix("libnuma") } ?? false))
    func bindsMemoryBeforeTheProgramStarts() throws {
        let run = try ftlab("_launch", "--mem", "bind:0", "--", "/bin/cat", "/proc/self/numa_maps")
        #expect(run.status == 0)
        // Each numa_maps line is "ADDRESS POLICY ...": every mapping of the program is bound.
        let policies = run.stdout.split(separator: "\n").map { $0.split(separator: " ")[1] }
        #expect(!policies.isEmpty && policies.allSatisfy { $0 == "bind:0" })
    }

    @Test func badArgumentsExit2AndExecFailuresExit127() throws {
        let badList = try ftlab("_launch", "--cpus", "3-1", "--", "true")
        #expect(badList.status == 2)
        #expect(badList.stderr.contains("--cpus \"3-1\""))
        #expect(try ftlab("_launch", "--cpus", "0").status == 2)
        #expect(try ftlab("_launch", "--cpus", "5000", "--", "true").status == 2)
        #expect(try ftlab("_launch", "--mem", "bind", "--", "true").status == 2)
        let missing = try ftlab("_launch", "--", "no-such-program-ftlab")
        #expect(missing.status == 127)
        #expect(missing.stderr.contains("cannot run no-such-program-ftlab: not found on PATH"))
        #expect(try ftlab("_launch", "--", "/nonexistent/python").status == 127)
    }
}
