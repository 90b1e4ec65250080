import FTLabCore
/// How one workload fares against PEP 779's bars for the free-threaded build of one CPython
/// release, from its free-threaded/GIL pairs at 1 thread (geometric mean over variants,
/// parameters, placements and allocators; releases never pool).
public struct BuildOverhead: Sendable {
    /// PEP 779: single-thread slowdown within 15% of the GIL build.
    public static let singleThreadLimit = 0.15
    /// PEP 779: memory overhead within 20%.
    public static let memoryLimit = 0.20
    /// Workloads whose figures are pyperformance's (`PyperfImport`): judged by PEP 779's measure.
    public static let pyperformance = "pyperformance"

    /// The figure judged against the 15% line: PEP 779's `slowdown` for pyperformance results,
    /// ftlab's `singleThread` (1 - ft/gil throughput) for its own workloads.
    public var judgedSlowdown: Double { workload == Self.pyperformance ? slowdown : singleThread }

    public let workload: String
    /// The release both builds of the pairs are (`python_version`).
    public let pythonVersion: String
    /// What the builds' lab labels add to the release (`-pgo`), empty for plain builds: PGO and
    /// plain pairs never pool either.
    public let flavor: String
    /// The release as the tables name it: `3.13.5`, `3.13.5-pgo`.
    public var release: String { pythonVersion + flavor }
    /// How many free-threaded/GIL pairs at 1 thread went in.
    public let pairs: Int
    /// 1 - ft/gil throughput: how much slower the free-threaded build is (negative: faster).
    public let singleThread: Double
    /// PEP 779's own measure: the geometric mean over the pairs of ft/gil median time, minus 1
    /// (how pyperformance states "x% slower"); judged against the same 15% line.
    public let slowdown: Double
    /// ft/gil peak RSS - 1; nil when RSS was not recorded.
    public let memory: Double?

    /// One entry per workload and release (and flavor) that has both builds measured at 1
    /// thread, in order of appearance.
    public static func perWorkload(_ pairs: [BuildPair]) -> [BuildOverhead] {
        let singleThreaded = pairs.filter { $0.freeThreaded.first.threads == 1 }
        let groups = singleThreaded.groupedInOrder {
            "\($0.freeThreaded.first.workload)|\($0.freeThreaded.first.pythonVersion)|\(BuildPair.flavor(of: $0.gil.first.interpreter))"
        }
        return groups.map { _, mine in
            let first = mine[0].freeThreaded.first
            let memory = Descriptive.geometricMean(mine.map(\.peakRSSRatio))
            return BuildOverhead(
                workload: first.workload, pythonVersion: first.pythonVersion,
                flavor: BuildPair.flavor(of: mine[0].gil.first.interpreter), pairs: mine.count,
                singleThread: 1 - Descriptive.geometricMean(mine.map(\.throughputRatio)),
                slowdown: 1 / Descriptive.geometricMean(mine.map(\.throughputRatio)) - 1,
                memory: memory.isFinite ? memory - 1 : nil)
        }
    }
}
