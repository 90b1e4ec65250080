import Foundation
import Testing
import FTLabRunner
import FTLabInterpreters

/// The Python harness's own tests (Tests/Harness/test_harness.py): real runs of run.py whose
/// every message is held to Workloads/_harness/protocol.json, its failure paths (errors, exit
/// codes, prints kept off the protocol), and PROTOCOL.md's tables against the schema.
@Suite("Harness Python tests", .tags(.integration, .needsLab), .skippedInUnitRuns)
struct HarnessPythonTests {
    @Test("Tests/Harness/test_harness.py passes on both lab builds", arguments: [Interpreter.Build.gil, .freethreaded])
    func python(build: Interpreter.Build) throws {
        let script = TestPaths.repository + "/Tests/Harness/test_harness.py"
        let result = try runProgram(try TestPaths.labPython(build), [script, "-v"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // unittest reports on stderr; a file that found no tests would also end "OK".
        #expect(result.stderr.contains("\nOK"), "\(result.stderr)")
        #expect(!result.stderr.contains("Ran 0 tests"))
    }
}
