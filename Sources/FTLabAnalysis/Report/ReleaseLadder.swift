import FTLabCore

/// How one workload's free-threaded build moves from CPython release to release: its ratio to
/// the GIL build at 1 thread (against PEP 779's line) and its speedup at each thread count.
/// Computed only when a run holds several releases; each figure is within one release.
public struct ReleaseLadder: Sendable {
    /// One release of the workload.
    public struct Step: Sendable {
        /// The release, with its builds' flavor (`3.13.5`, `3.13.5-pgo`).
        public let release: String
        /// The PEP 779 figures of this release, when both builds ran at 1 thread.
        public let overhead: BuildOverhead?
        /// The free-threaded build's speedup over its own 1-thread run, per thread count
        /// (geometric mean over the workload's free-threaded configurations), ascending threads.
        public let speedups: [(threads: Int, speedup: Double)]
    }

    public let workload: String
    /// Oldest release first.
    public let steps: [Step]

    /// One ladder per workload measured on at least two releases (a plain and a PGO pair of one
    /// release count as two); empty otherwise.
    public static func compute(_ figures: [ScalingFigures], overheads: [BuildOverhead]) -> [ReleaseLadder] {
        let freeThreaded = figures.filter { $0.configuration.first.build == "freethreaded" && $0.speedup != nil }
        func release(_ figure: ScalingFigures) -> (version: String, flavor: String) {
            (figure.configuration.first.pythonVersion, BuildPair.flavor(of: figure.configuration.first.interpreter))
        }
        return freeThreaded.groupedInOrder(by: { $0.configuration.first.workload }).compactMap { workload, members in
            var releases: [(version: String, flavor: String)] = []
            for member in members where !releases.contains(where: { $0 == release(member) }) { releases.append(release(member)) }
            guard releases.count > 1 else { return nil }
            releases.sort { $0.version != $1.version ? ReleaseNumber.precedes($0.version, $1.version) : $0.flavor < $1.flavor }
            let steps = releases.map { step in
                let mine = members.filter { release($0) == step }
                let speedups = mine.groupedInOrder(by: { $0.configuration.first.threads })
                    .map { threads, at in (threads: threads, speedup: Descriptive.geometricMean(at.compactMap(\.speedup))) }
                    .sorted { $0.threads < $1.threads }
                let overhead = overheads.first { $0.workload == workload && $0.pythonVersion == step.version && $0.flavor == step.flavor }
                return Step(release: step.version + step.flavor, overhead: overhead, speedups: speedups)
            }
            return ReleaseLadder(workload: workload, steps: steps)
        }
    }

    /// The thread counts above 1 that any step has, ascending (at 1 the speedup is 1 by definition).
    public var threadCounts: [Int] {
        Set(steps.flatMap { $0.speedups.map(\.threads) }).filter { $0 > 1 }.sorted()
    }

    /// One row per release: release, ft/gil at 1 thread, the PEP 779 verdict, speedup per thread count.
    package func table() -> Table {
        let counts = threadCounts
        var table = Table(header: ["release", "ft/gil@1", "PEP 779 (15%)"] + counts.map { "speedup@\($0)" },
                          rightAligned: Set(1..<(3 + counts.count)))
        table.rows = steps.map { step in
            let ratio = step.overhead.map { NumberFormat.ratio(1 - $0.singleThread) } ?? "-"
            let verdict = step.overhead.map { $0.singleThread <= BuildOverhead.singleThreadLimit ? "within" : "over" } ?? "-"
            return [step.release, ratio, verdict] + counts.map { threads in
                step.speedups.first { $0.threads == threads }.map { NumberFormat.ratio($0.speedup) } ?? "-"
            }
        }
        return table
    }
}
