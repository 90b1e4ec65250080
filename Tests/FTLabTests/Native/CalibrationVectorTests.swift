import Foundation
import Testing
import FTLabRunner
import FTLabInterpreters
import FTLabNative

/// Both harnesses calibrate by one set of rules: Workloads/_harness/calibration-vectors.json
/// drives ftlab's native harness here and run.py through check_calibration.py.
@Suite("Calibration vectors")
struct CalibrationVectorTests {
    /// One vector of the file (its `about` says what the fields mean).
    struct Vector: Decodable, Sendable, CustomTestStringConvertible {
        /// The wall time of each call: `fixed + perUnit * batch`, except the calls listed.
        struct Walls: Decodable, Sendable {
            var fixed: Int?
            var perUnit: Int?
            var calls: [String: Int]?
            enum CodingKeys: String, CodingKey { case fixed, perUnit = "per_unit", calls }
        }

        var name: String
        var targetSeconds: Double
        var warmups: Int
        var wallNanoseconds: Walls
        var batches: [Int]
        var batch: Int?
        var error: String?
        var testDescription: String { name }

        enum CodingKeys: String, CodingKey {
            case name, targetSeconds = "target_seconds", warmups, wallNanoseconds = "wall_ns", batches, batch, error
        }
    }

    static let harness = TestPaths.repository + "/Workloads/_harness"

    static func vectors() throws -> [Vector] {
        struct File: Decodable { var vectors: [Vector] }
        let data = try Data(contentsOf: URL(fileURLWithPath: harness + "/calibration-vectors.json"))
        return try JSONDecoder().decode(File.self, from: data).vectors
    }

    @Test("the native harness calibrates as the vector says", arguments: try vectors())
    func native(vector: Vector) {
        let walls = vector.wallNanoseconds
        var batches: [Int] = []
        do throws(NativeError) {
            let batch = try NativeHarness.calibrate(targetSeconds: vector.targetSeconds, warmups: vector.warmups) { batch in
                defer { batches.append(batch) }
                return walls.calls?[String(batches.count)] ?? (walls.fixed ?? 0) + (walls.perUnit ?? 0) * batch
            }
            #expect(batch == vector.batch && vector.error == nil)
        } catch {
            #expect(error.description == vector.error)
            #expect(error.kind == "RuntimeError")  // run.py raises a RuntimeError
        }
        #expect(batches == vector.batches)
    }

    @Test("run.py calibrates as every vector says (check_calibration.py)", arguments: [Interpreter.Build.gil, .freethreaded])
    func python(build: Interpreter.Build) throws {
        let result = try runProgram(try TestPaths.labPython(build), [Self.harness + "/check_calibration.py"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("all calibration vectors agree"))
        #expect(result.stdout.components(separatedBy: "  ok   calibration: ").count - 1 == (try Self.vectors()).count)
    }
}
