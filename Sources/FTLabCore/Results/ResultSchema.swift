#if canImport(Glibc)
import Glibc
#endif

/// The results CSV's columns, declared once: name, role, where the value lives in a
/// ``ResultRow`` and how it is written and read. The header, the writer, the reader, the
/// configuration key and the list of columns added after v1's first release all derive from
/// this table. Columns are only ever appended at the end.
public enum ResultSchema {
    /// The schema version every row carries in its `schema` column.
    public static let version = 1

    /// Every column, in file order.
    public static let columns: [ResultColumn] = [
        // Identity: which run, which machine.
        .int("schema", \.schema, .identity),
        .text("run_id", \.runID, .identity),
        .text("started_utc", \.startedUTC, .identity),
        .text("host", \.host, .identity),
        .text("cpu_model", \.cpuModel, .identity),
        .text("kernel", \.kernel, .identity),
        .int("numa_nodes", \.numaNodes, .identity),
        .int("cpus_online", \.cpusOnline, .identity),
        .flag("smt", \.smt, .identity, empty: false),
        .text("suite_rev", \.suiteRev, .identity),
        // Configuration: what was measured (the `key` columns name it).
        .text("workload", \.workload, .key),
        .text("variant", \.variant, .key),
        .text("params", \.params, .key),
        .text("interpreter", \.interpreter, .key),
        .text("python_version", \.pythonVersion, .key),
        .text("build", \.build, .key),
        .optionalFlag("gil_enabled", \.gilEnabled, .configuration),
        .text("env", \.env, .key),
        .int("threads", \.threads, .key),
        .text("placement", \.placement, .key),
        .text("cpus", \.cpus, .configuration),
        .text("observed_cpus", \.observedCPUs, .configuration),
        .text("mem_nodes", \.memNodes, .configuration),
        .text("allocator", \.allocator, .key),
        .text("allocator_scope", \.allocatorScope, .configuration),
        .flag("allocator_verified", \.allocatorVerified, .configuration, empty: false),
        // Measurement: what one sample observed.
        .int("process", \.process, .measurement),
        .int("sample", \.sample, .measurement),
        .int("ops", \.ops, .measurement),
        .text("unit", \.unit, .measurement),
        .number("wall_s", \.wallSeconds),
        .number("throughput", \.throughput),
        .number("cpu_user_s", \.cpuUserSeconds),
        .number("cpu_sys_s", \.cpuSysSeconds),
        .number("cpu_util", \.cpuUtil),
        .int("ctx_voluntary", \.ctxVoluntary, .measurement),
        .int("ctx_involuntary", \.ctxInvoluntary, .measurement),
        .int("max_rss_kib", \.maxRSSKiB, .measurement),
        .optionalNumber("latency_p50_us", \.latencyP50us),
        .optionalNumber("latency_p99_us", \.latencyP99us),
        .optionalNumber("latency_p999_us", \.latencyP999us),
        .int("errors", \.errors, .measurement),
        .status("status"),
        .text("message", \.message, .measurement),
        // Appended after v1's first release: older files lack them and still read (as empty).
        .text("client_cpus", \.clientCPUs, .measurement, later: true),
        .optionalNumber("client_cpu_util", \.clientCPUUtil, later: true),
        .text("lab", \.lab, .identity, later: true),
        .text("ftlab_version", \.ftlabVersion, .identity, later: true),
        .text("cpu_governor", \.cpuGovernor, .identity, later: true),
        .text("cpu_boost", \.cpuBoost, .identity, later: true),
        .text("aslr", \.aslr, .identity, later: true),
        .text("thp", \.thp, .identity, later: true),
        .text("isolated_cpus", \.isolatedCPUs, .identity, later: true),
        .text("nohz_full_cpus", \.nohzFullCPUs, .identity, later: true),
        .text("perf_event_paranoid", \.perfEventParanoid, .identity, later: true),
        .text("virtualization", \.virtualization, .identity, later: true),
        .optionalNumber("load_start", \.loadStart, role: .identity, later: true),
        .optionalNumber("load_1m", \.load1m, later: true),
        .text("packages", \.packages, .configuration, later: true),
        .text("shard", \.shard, .identity, later: true),
        .text("plan_id", \.planID, .identity, later: true),
        .text("bundle", \.bundle, .identity, later: true),
    ]

    /// The column called `name`, if any.
    public static func column(_ name: String) -> ResultColumn? { byName[name].map { columns[$0] } }

    /// The `schema` column's index, and the value every readable row has there.
    static let schemaIndex = byName["schema"]!
    static let versionText = String(version)

    /// ResultColumn index by name.
    static let byName: [String: Int] = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) })
}

/// One column of the results CSV.
public struct ResultColumn: Sendable {
    /// What the column tells about a row.
    public enum Role: Sendable {
        /// Which run and machine.
        case identity
        /// Names the configuration: rows equal in every key column are samples of one distribution.
        case key
        /// Describes the configuration as observed or planned, without naming it.
        case configuration
        /// What the sample measured.
        case measurement
    }

    public let name: String
    public let role: Role
    /// Appended after schema v1's first release: a file may lack it.
    public let later: Bool
    /// The row's value as a CSV field. The row is taken `inout` only so that the key path
    /// reads it in place: a row passed by value would be copied (every string retained) per field.
    let write: @Sendable (inout ResultRow) -> String
    /// Sets the row's value from a field; returns what was expected when the field is not valid.
    let read: @Sendable (inout ResultRow, String) -> String?
    /// Sets the row's value straight from an unquoted field's bytes where the result is sure to
    /// be `read`'s (plain digits, plain decimals, empty); false leaves the field to `read`.
    var readBytes: (@Sendable (inout ResultRow, UnsafeBufferPointer<UInt8>) -> Bool)? = nil

    /// The field for `row`.
    public func field(of row: ResultRow) -> String {
        var row = row
        return write(&row)
    }

    /// The field for `row`, read in place (for loops over many columns of one row).
    package func field(in row: inout ResultRow) -> String { write(&row) }

    static func text(_ name: String, _ path: WritableKeyPath<ResultRow, String> & Sendable, _ role: Role,
                     later: Bool = false) -> ResultColumn {
        let slot = StoredField(path)
        return ResultColumn(name: name, role: role, later: later, write: { slot.get(&$0) },
               read: { row, field in slot.set(&row, field); return nil })
    }

    static func int(_ name: String, _ path: WritableKeyPath<ResultRow, Int> & Sendable, _ role: Role) -> ResultColumn {
        let slot = StoredField(path)
        return ResultColumn(name: name, role: role, later: false, write: { String(slot.get(&$0)) }, read: { row, field in
            guard let value = Int(field) else { return "an integer" }
            slot.set(&row, value)
            return nil
        }, readBytes: { row, bytes in
            guard let value = PlainNumber.integer(bytes) else { return false }
            slot.set(&row, value)
            return true
        })
    }

    /// A number; empty is NaN (written for a value that is not finite).
    static func number(_ name: String, _ path: WritableKeyPath<ResultRow, Double> & Sendable) -> ResultColumn {
        let slot = StoredField(path)
        return ResultColumn(name: name, role: .measurement, later: false, write: { ResultRow.format(slot.get(&$0)) }, read: { row, field in
            if field.isEmpty { slot.set(&row, .nan); return nil }
            guard let value = Double(field) else { return "a number" }
            slot.set(&row, value)
            return nil
        }, readBytes: { row, bytes in
            if bytes.isEmpty { slot.set(&row, .nan); return true }
            guard let value = PlainNumber.decimal(bytes) else { return false }
            slot.set(&row, value)
            return true
        })
    }

    /// A number that may be absent (empty).
    static func optionalNumber(_ name: String, _ path: WritableKeyPath<ResultRow, Double?> & Sendable,
                               role: Role = .measurement, later: Bool = false) -> ResultColumn {
        let slot = StoredField(path)
        return ResultColumn(name: name, role: role, later: later, write: { slot.get(&$0).map(ResultRow.format) ?? "" }, read: { row, field in
            if field.isEmpty { slot.set(&row, nil); return nil }
            guard let value = Double(field) else { return "a number" }
            slot.set(&row, value)
            return nil
        }, readBytes: { row, bytes in
            if bytes.isEmpty { slot.set(&row, nil); return true }
            guard let value = PlainNumber.decimal(bytes) else { return false }
            slot.set(&row, value)
            return true
        })
    }

    /// `true` or `false`; an empty field reads as `empty`.
    static func flag(_ name: String, _ path: WritableKeyPath<ResultRow, Bool> & Sendable, _ role: Role,
                     empty: Bool) -> ResultColumn {
        let slot = StoredField(path)
        return ResultColumn(name: name, role: role, later: false, write: { String(slot.get(&$0)) }) { row, field in
            guard let value = field.isEmpty ? empty : Bool(field) else { return "true or false" }
            slot.set(&row, value)
            return nil
        }
    }

    /// `true`, `false` or empty (unknown).
    static func optionalFlag(_ name: String, _ path: WritableKeyPath<ResultRow, Bool?> & Sendable, _ role: Role) -> ResultColumn {
        let slot = StoredField(path)
        return ResultColumn(name: name, role: role, later: false, write: { slot.get(&$0).map { String($0) } ?? "" }) { row, field in
            if field.isEmpty { slot.set(&row, nil); return nil }
            guard let value = Bool(field) else { return "true or false" }
            slot.set(&row, value)
            return nil
        }
    }

    static func status(_ name: String) -> ResultColumn {
        ResultColumn(name: name, role: .measurement, later: false, write: { $0.status.rawValue }) { row, field in
            guard let status = RowStatus(rawValue: field) else {
                return RowStatus.allCases.map(\.rawValue).joined(separator: ", ")
            }
            row.status = status
            return nil
        }
    }
}

/// Where a column's value lives in a ``ResultRow``: a stored property is read and written at
/// its byte offset (no key-path machinery per field: the reader and writer touch every field of
/// every row); anything else goes through the key path.
struct StoredField<Value>: Sendable {
    let path: WritableKeyPath<ResultRow, Value> & Sendable
    let offset: Int?

    init(_ path: WritableKeyPath<ResultRow, Value> & Sendable) {
        self.path = path
        offset = MemoryLayout<ResultRow>.offset(of: path)
    }

    func get(_ row: inout ResultRow) -> Value {
        guard let offset else { return row[keyPath: path] }
        return withUnsafeMutableBytes(of: &row) { bytes in
            (bytes.baseAddress! + offset).assumingMemoryBound(to: Value.self).pointee
        }
    }

    func set(_ row: inout ResultRow, _ value: Value) {
        guard let offset else { row[keyPath: path] = value; return }
        withUnsafeMutableBytes(of: &row) { bytes in
            (bytes.baseAddress! + offset).assumingMemoryBound(to: Value.self).pointee = value
        }
    }
}

/// Numbers read straight from a field's bytes, for the forms where that is sure to give what
/// `Int(String)` and `Double(String)` give: anything else is nil, left to them.
enum PlainNumber {
    /// An optional `-` and 1 to 18 ASCII digits (no overflow possible).
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        let digits = bytes.count - index
        guard digits > 0, digits <= 18 else { return nil }
        var value = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
            index += 1
        }
        return negative ? -value : value
    }

    /// An optional `-`, digits, and optionally `.` and more digits (at most 63 bytes, no
    /// exponent, so neither overflow nor underflow), correctly rounded as `Double(String)`
    /// rounds it; nil for any other form. Up to 15 significant digits and 22 decimals, the
    /// digits as an integer (exact below 2^53) over a power of ten (exact up to 10^22) is one
    /// IEEE division, itself correctly rounded (Clinger's fast path); up to 19 digits, an exact
    /// integer division (``exactQuotient(_:decimals:)``); longer ones go to `strtod`.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let count = bytes.count
        guard count > 0, count < 64 else { return nil }
        let negative = bytes[0] == UInt8(ascii: "-")
        var index = negative ? 1 : 0
        var digits: UInt64 = 0
        var significant = 0
        var decimals = 0
        let integerStart = index
        while index < count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            if significant > 0 || digit > 0 { significant += 1 }
            if significant <= 19 { digits = digits &* 10 &+ UInt64(digit) }
            index += 1
        }
        guard index > integerStart else { return nil }
        if index < count {
            guard bytes[index] == UInt8(ascii: ".") else { return nil }
            index += 1
            let fractionStart = index
            while index < count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                if significant > 0 || digit > 0 { significant += 1 }
                if significant <= 19 { digits = digits &* 10 &+ UInt64(digit) }
                index += 1
            }
            guard index == count, index > fractionStart else { return nil }
            decimals = index - fractionStart
        }
        if significant <= 15, decimals <= 22 {
            let value = Double(digits) / powersOfTen[decimals]
            return negative ? -value : value
        }
        if significant <= 19, decimals <= 22 {
            let value = exactQuotient(digits, decimals: decimals)
            return negative ? -value : value
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { text -> Double? in
            let base = text.baseAddress!
            bytes.withMemoryRebound(to: CChar.self) { base.update(from: $0.baseAddress!, count: count) }
            base[count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &end)
            // A locale whose decimal point is not `.` stops early: leave it to Double(String).
            guard end == base + count else { return nil }
            return value
        }
    }

    /// `digits` / 10^`decimals` correctly rounded (to nearest, ties to even), for `digits`
    /// below 2^64 and `decimals` up to 22: digits / 10^k is (digits / 5^k) x 2^-k, and
    /// digits x 2^s / 5^k is divided exactly in 128 bits, s chosen so that the quotient has 64
    /// bits; its top 53 bits are the significand, rounded by the 11 bits below and the remainder.
    static func exactQuotient(_ digits: UInt64, decimals: Int) -> Double {
        guard digits != 0 else { return 0 }
        let divisor = powersOfFive[decimals]
        let digitBits = 64 - digits.leadingZeroBitCount, divisorBits = 64 - divisor.leadingZeroBitCount
        var shift = 63 - digitBits + divisorBits
        func divide(_ shift: Int) -> (quotient: UInt64, remainder: UInt64) {
            // digits x 2^shift as (high, low), below 2^(63 + divisorBits) <= 2^116.
            let high = shift >= 64 ? digits << UInt64(shift - 64) : (shift == 0 ? 0 : digits >> UInt64(64 - shift))
            let low = shift >= 64 ? 0 : digits << UInt64(shift)
            return divisor.dividingFullWidth((high, low))
        }
        var (quotient, remainder) = divide(shift)
        if quotient < 1 << 63 {
            shift += 1
            (quotient, remainder) = divide(shift)
        }
        var significand = quotient >> 11
        let below = quotient & 0x7FF
        if below > 0x400 || (below == 0x400 && (remainder != 0 || significand & 1 == 1)) { significand += 1 }
        // quotient = digits x 2^shift / 5^k, so the value is significand x 2^(11 - shift - k).
        return Double(sign: .plus, exponent: 11 - shift - decimals, significand: Double(significand))
    }

    /// 5^0 ... 5^22 (5^22 < 2^52).
    private static let powersOfFive: [UInt64] = (0...22).map { exponent in
        var value: UInt64 = 1
        for _ in 0..<exponent { value *= 5 }
        return value
    }

    /// 10^0 ... 10^22, each exact in a Double.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
