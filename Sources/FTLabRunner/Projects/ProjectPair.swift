import Foundation
import FTLabCore

/// Two checkouts of one project in one run (`ftlab project BASE --against NEW`): one generated
/// workload whose `checkout` parameter (`base.txt`, `new.txt`: requirements files beside it,
/// each installing its checkout's snapshot) is swept, so that every test's configurations of
/// the two checkouts run side by side in time, as `--ab-env` does for a setting.
public struct ProjectPair: Sendable {
    /// The generated workload folder; the run uses it as its working directory, where the
    /// parameter's files are found.
    public var workloadDirectory: String
    public var name: String
    /// The `checkout` values, base first.
    public static let values = ["base.txt", "new.txt"]
    /// Tests collected in one checkout only: not compared.
    public var unpaired: [String]

    /// The params column of each side's rows (what `compare --base params=...` selects).
    public func paramsText(_ value: String, pytestOptions: String) -> String {
        var params = ["checkout=\(value)", "test_runner=pytest"]
        if !pytestOptions.isEmpty { params.append("pytest_options=\(pytestOptions)") }
        return params.sorted().joined(separator: ";")
    }

    /// Writes the pair's workload folder from the two prepared suites.
    public static func make(base: ProjectSuite, new: ProjectSuite, builtinDirectory: String,
                            cache: CacheDirectory = CacheDirectory()) throws(ProjectError) -> ProjectPair {
        let newTests = Set(new.record.tests.map(\.nodeid))
        let baseTests = Set(base.record.tests.map(\.nodeid))
        var record = base.record
        // A test either checkout's pytest-run-parallel calls thread-unsafe runs at one thread in both.
        let unsafe = Dictionary(new.record.tests.compactMap { t in t.threadUnsafe.map { (t.nodeid, $0) } }, uniquingKeysWith: { a, _ in a })
        record.interpreters = record.interpreters.map { entry in
            var entry = entry
            let kept = (entry.collection?.tests ?? []).filter { newTests.contains($0.nodeid) }.map { test in
                var test = test
                test.threadUnsafe = test.threadUnsafe ?? unsafe[test.nodeid]
                return test
            }
            entry.collection?.tests = kept
            return entry
        }
        record.requirements = ProjectSuite.harnessRequirements
        let directory = "\(cache.root)/projects/\(base.source.name)-\(base.record.digest)-\(new.record.digest)/workload"
        try ProjectWorkloadFolder.write(record, to: directory, builtinDirectory: builtinDirectory,
                                        checkouts: [(values[0], base.record, base.source), (values[1], new.record, new.source)])
        let unpaired = baseTests.symmetricDifference(newTests).sorted()
        return ProjectPair(workloadDirectory: directory, name: base.source.name, unpaired: unpaired)
    }
}
