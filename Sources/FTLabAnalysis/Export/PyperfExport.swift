import Foundation
import FTLabCore

/// ftlab results as pyperf JSON (format 1.0), one suite file per interpreter, so pyperf's
/// own tools read them: `pyperf stats`, `pyperf hist`, and `pyperf compare_to GIL.json FT.json`
/// (benchmarks match by name across the files).
///
/// The mapping: a configuration (minus the interpreter) is a benchmark; a process is a run;
/// a measured sample is a value, in seconds per op (wall time / ops); the run's `loops` is the
/// sample's ops. ftlab's CSV keeps no warmup samples, so runs carry none. Failed rows are
/// left out; a configuration with no ok row has no benchmark.
public enum PyperfExport {
    /// One file to write: its name and JSON text.
    public struct File: Sendable, Equatable {
        public let name: String
        public let json: String
        /// Benchmarks in the file.
        public let benchmarks: Int
    }

    /// The suites of `rows`, one per interpreter label, in order of first appearance.
    public static func files(_ rows: [ResultRow]) throws -> [File] {
        let ok = rows.filter { $0.status == .ok && $0.ops > 0 && $0.wallSeconds.isFinite }
        // Columns that tell a workload variant's benchmarks apart in their names, where they vary.
        var shown: [String: [String]] = [:]
        for (key, rows) in ok.groupedInOrder(by: { "\($0.workload)/\($0.variant)" }) {
            shown[key] = rows.varying(["params", "env", "placement", "allocator"]) { $0.value(of: $1) ?? "" }
        }
        return try ok.groupedInOrder(by: \.interpreter).map { interpreter, rows in
            let benchmarks = rows.groupedInOrder { $0.configurationKey() }.map { _, samples in
                benchmark(samples, shown: shown["\(samples[0].workload)/\(samples[0].variant)"] ?? [])
            }
            let first = rows[0]
            let suite = Suite(benchmarks: benchmarks, metadata: [
                "hostname": .text(first.host), "cpu_model_name": .text(first.cpuModel),
                "platform": .text(first.kernel), "cpu_count": .number(first.cpusOnline),
                "python_version": .text(first.pythonVersion), "date": .text(first.startedUTC),
                "ftlab_interpreter": .text(interpreter), "ftlab_build": .text(first.build),
                "ftlab_run_id": .text(first.runID), "ftlab_suite_rev": .text(first.suiteRev),
            ])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = String(decoding: try encoder.encode(suite), as: UTF8.self)
            return File(name: interpreter.asFileName + ".json", json: json, benchmarks: benchmarks.count)
        }
    }

    /// The benchmark name: workload/variant, threads, and the shown columns that have a value.
    static func name(_ row: ResultRow, shown: [String]) -> String {
        let extras = shown.compactMap { column -> String? in
            let value = row.value(of: column) ?? ""
            return value.isEmpty ? nil : "\(column)=\(value)"
        }
        return (["\(row.workload)/\(row.variant)", "threads=\(row.threads)"] + extras).joined(separator: " ")
    }

    private static func benchmark(_ samples: [ResultRow], shown: [String]) -> Benchmark {
        let first = samples[0]
        let runs = samples.groupedInOrder { "\($0.runID)|\($0.process)" }.map { _, rows in
            Run(values: rows.map { $0.wallSeconds / Double($0.ops) },
                metadata: ["loops": .number(rows[0].ops), "ftlab_process": .number(rows[0].process)])
        }
        return Benchmark(runs: runs, metadata: [
            "name": .text(name(first, shown: shown)), "unit": .text("second"),
            "description": .text("seconds per \(first.unit.isEmpty ? "op" : first.unit)"),
            "ftlab_workload": .text(first.workload), "ftlab_variant": .text(first.variant),
            "ftlab_threads": .number(first.threads), "ftlab_params": .text(first.params),
            "ftlab_env": .text(first.env), "ftlab_placement": .text(first.placement),
            "ftlab_allocator": .text(first.allocator),
            "ftlab_gil_enabled": .text(first.gilEnabled.map { String($0) } ?? ""),
        ])
    }

    // pyperf's JSON format 1.0.
    struct Suite: Encodable {
        var version = "1.0"
        let benchmarks: [Benchmark]
        @NonEmpty var metadata: [String: Value]
    }

    struct Benchmark: Encodable {
        let runs: [Run]
        @NonEmpty var metadata: [String: Value]
    }

    struct Run: Encodable {
        @Exact var values: [Double]
        @NonEmpty var metadata: [String: Value]
    }

    /// Doubles written with every digit they need to read back the same (through Decimal:
    /// JSONEncoder alone rounds some to 15 digits).
    @propertyWrapper
    struct Exact: Encodable {
        var wrappedValue: [Double]

        func encode(to encoder: Encoder) throws {
            try wrappedValue.map { Decimal(string: String($0)) ?? Decimal($0) }.encode(to: encoder)
        }
    }

    /// pyperf refuses empty metadata values: they are left out.
    @propertyWrapper
    struct NonEmpty: Encodable {
        var wrappedValue: [String: Value]

        func encode(to encoder: Encoder) throws {
            try wrappedValue.filter { if case .text(let text) = $0.value { !text.isEmpty } else { true } }.encode(to: encoder)
        }
    }

    /// A metadata value: pyperf wants numbers as numbers.
    enum Value: Encodable {
        case text(String)
        case number(Int)

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            }
        }
    }
}
