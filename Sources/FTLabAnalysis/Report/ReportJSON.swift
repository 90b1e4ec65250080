import FTLabCore

extension ScalingReport {
    /// `ftlab report --format json`: one `ftlab.report/1` document with the runs (machine and
    /// run id) and, per workload/variant, each curve's points (throughput median and 95% CI,
    /// speedup, efficiency, free-threaded/GIL ratio, peak RSS) and the free-threaded/GIL ratio
    /// curves with their intervals. Figures are per run, as in the HTML page.
    public func json() throws -> String {
        struct Run: Encodable {
            var runId, startedUtc, host, cpuModel, kernel: String
            var cpusOnline, numaNodes: Int
            var smt: Bool
        }
        struct Point: Encodable {
            var threads: Int
            var throughput: Summary?
            var speedup, efficiency, freeThreadedOverGil, peakRssKib: Double?
        }
        struct Curve: Encodable {
            var label, interpreter: String
            var native: Bool
            var points: [Point]
        }
        struct RatioValue: Encodable {
            var threads: Int
            var ratio, ciLow, ciHigh: Double
        }
        struct RatioCurve: Encodable {
            var label: String
            var points: [RatioValue]
        }
        struct Section: Encodable {
            var workload, variant, unit: String
            var series: [Curve]
            var freeThreadedOverGil: [RatioCurve]
            var failedProcesses: Int
        }
        struct Document: Encodable {
            var runs: [Run]
            var sections: [Section]
        }
        let ratio = { (curve: RatioSeries) in
            RatioCurve(label: curve.series.label, points: curve.points.map {
                RatioValue(threads: $0.threads, ratio: $0.ratio, ciLow: $0.interval.low, ciHigh: $0.interval.high)
            })
        }
        let document = Document(
            runs: runs.map {
                Run(runId: $0.identity.runID, startedUtc: $0.identity.startedUTC, host: $0.identity.host,
                    cpuModel: $0.identity.cpuModel, kernel: $0.identity.kernel, cpusOnline: $0.identity.cpusOnline,
                    numaNodes: $0.identity.numaNodes, smt: $0.identity.smt)
            },
            sections: sections.map { section in
                Section(workload: section.workload, variant: section.variant, unit: section.unit,
                        series: section.series.map { series in
                            Curve(label: series.label, interpreter: series.describing.interpreter, native: series.isNative,
                                  points: series.points.map {
                                      Point(threads: $0.threads, throughput: $0.figures.throughput, speedup: $0.figures.speedup,
                                            efficiency: $0.figures.efficiency, freeThreadedOverGil: $0.figures.freeThreadedOverGIL,
                                            peakRssKib: $0.figures.peakRSSKiB)
                                  })
                        },
                        freeThreadedOverGil: section.freeThreadedOverGIL.map(ratio),
                        failedProcesses: section.failures.count)
            })
        return try JSONOutput.document("report", document)
    }
}
