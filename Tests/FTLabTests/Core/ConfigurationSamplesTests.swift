import Foundation
import Testing
@testable import FTLabCore
import FTLabAnalysis

/// Grouping rows as they are read: configurations hold each ok row's figures, not the row.
@Suite struct ConfigurationSamplesTests {
    static func row(process: Int, throughput: Double) -> ResultRow {
        var row = ResultRow()
        row.runID = "run"
        row.workload = "log-processing"
        row.interpreter = "cpython-3.13.5"
        row.unit = "lines"
        row.process = process
        row.throughput = throughput
        return row
    }

    /// Consecutive rows are compared column by column rather than by their key: a `key` column
    /// left out of that comparison would pool two configurations.
    @Test("rows that differ in any one configuration column, and only those, form two configurations")
    func everyKeyColumnSplits() throws {
        let first = Self.row(process: 1, throughput: 10)
        for column in ResultSchema.columns where column.role == .key {
            var second = first
            #expect(column.read(&second, column.name == "threads" ? "7" : "other") == nil)
            #expect(ConfigurationSamples.group([first, second]).count == 2, "\(column.name)")
        }
        var elsewhere = first
        elsewhere.host = "elsewhere"
        elsewhere.cpus = "3"
        #expect(ConfigurationSamples.group([first, elsewhere]).count == 1)
    }

    @Test("ok rows leave their figures and process numbers; other rows stay whole")
    func samplesAndNotOK() throws {
        var failed = Self.row(process: 3, throughput: 0)
        failed.status = .failed
        failed.message = "Traceback"
        var latency = Self.row(process: 2, throughput: 30)
        latency.latencyP99us = 120
        latency.maxRSSKiB = 2048
        let rows = [Self.row(process: 1, throughput: 10), Self.row(process: 1, throughput: 12), latency, failed,
                    Self.row(process: 1, throughput: .nan)]
        let group = try #require(ConfigurationSamples.group(rows).first)
        #expect(group.ok.map(\.process) == [0, 0, 1, 0])
        #expect(group.okUnit == "lines")
        #expect(group.processValues(\.throughput) == [[10, 12], [30]])
        #expect(group.processValues(\.latencyP99us) == [[120]])
        #expect(group.values(\.throughput) == [10, 12, 30])
        #expect(group.notOK == [failed])
        #expect(group.processCount(.ok) == 2 && group.processCount(.failed) == 1)
    }

    @Test("rows gathered one by one for a report make the report of the rows held")
    func gatheredReport() throws {
        var other = Self.row(process: 1, throughput: 50)
        other.runID = "second"
        let rows = [Self.row(process: 1, throughput: 10), other, Self.row(process: 2, throughput: 11)]
        var gathered = ReportRows()
        for row in rows { gathered.add(row) }
        #expect(gathered.runs.map(\.first.runID) == ["run", "second"])
        #expect(gathered.runs.map { $0.grouping.configurations.map(\.ok.count) } == [[2], [1]])
        #expect(gathered.interpreters == ["cpython-3.13.5"])
        let report = ScalingReport(gathered, bootstrap: Bootstrap(resamples: 50))
        #expect(report.runs.map(\.processes[.ok]) == [2, 1])
    }
}
