import Foundation
import FTLabCore

/// Normal deviates (Box-Muller) from a seeded generator, for reproducible synthetic runs.
struct Noise {
    private var generator: SeededGenerator

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    mutating func normal(mean: Double, sd: Double) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return mean + sd * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    mutating func sample(count: Int, mean: Double, cv: Double) -> [Double] {
        (0..<count).map { _ in normal(mean: mean, sd: mean * cv) }
    }
}

/// A configuration of a synthetic run; each field is a configuration column.
struct Setup {
    var workload = "log-processing"
    var variant = "regex"
    var interpreter = PinnedPair.gil
    var pythonVersion = PinnedPair.version
    var build = "gil"
    var env = ""
    var threads = 1
    var placement = "none"
    var allocator = "system"

    static let gil = Setup()
    static let freeThreaded = Setup(interpreter: PinnedPair.freeThreaded, build: "freethreaded")

    func with(_ change: (inout Setup) -> Void) -> Setup {
        var copy = self
        change(&copy)
        return copy
    }

    /// One ok row per throughput value, 3 samples per process; latency and RSS when given.
    func rows(throughput: [Double], latencyP99: [Double]? = nil, rssKiB: Int = 0,
              runID: String = "run") -> [ResultRow] {
        throughput.enumerated().map { index, value in
            var row = ResultRow()
            row.runID = runID
            row.workload = workload
            row.variant = variant
            row.interpreter = interpreter
            row.pythonVersion = pythonVersion
            row.build = build
            row.gilEnabled = build == "gil"
            row.env = env
            row.threads = threads
            row.placement = placement
            row.allocator = allocator
            row.process = index / 3
            row.sample = index % 3
            row.ops = 1000
            row.unit = "lines"
            row.wallSeconds = 1000 / value
            row.throughput = value
            row.maxRSSKiB = rssKiB
            row.latencyP99us = latencyP99?[index]
            return row
        }
    }

    /// A row of a process that did not end ok.
    func notOK(_ status: RowStatus, process: Int, message: String, runID: String = "run") -> ResultRow {
        var row = rows(throughput: [.nan], runID: runID)[0]
        row.status = status
        row.process = process
        row.message = message
        return row
    }
}

/// A fresh temporary directory, removed by the caller with `removeItem`.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ftlab-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `rows` through ResultWriter to `name` in `directory`; returns the path.
func writeResults(_ rows: [ResultRow], to directory: URL, name: String) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try ResultWriter(path: path).append(rows)
    return path
}
