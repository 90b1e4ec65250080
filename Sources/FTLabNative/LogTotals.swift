import FTLabCore
/// log-processing's totals in the form its verification compares: `Totals.canonical()` of
/// workload.py, byte for byte (`json.dumps(..., sort_keys=True, separators=(",", ":"))`).
package struct LogTotals: Equatable {
    package var lines = 0
    package var errors = 0
    package var bytes = 0
    package var statuses: [String: Int] = [:]
    package var paths: [String: Int] = [:]
    package var ips = Set<String>()

    /// Adds `other`'s totals `times` over (distinct IPs are a union).
    package mutating func merge(_ other: LogTotals, times: Int = 1) {
        lines += other.lines * times
        errors += other.errors * times
        bytes += other.bytes * times
        for (key, count) in other.statuses { statuses[key, default: 0] += count * times }
        for (key, count) in other.paths { paths[key, default: 0] += count * times }
        ips.formUnion(other.ips)
    }

    /// Adds one generated line from its recorded truth (nil: a malformed line).
    package mutating func add(truth: LogInput.Truth?) {
        lines += 1
        guard let truth else {
            errors += 1
            return
        }
        ips.insert(truth.ip)
        statuses[truth.status, default: 0] += 1
        paths[truth.path, default: 0] += 1
        bytes += truth.bytes
    }

    /// The expected totals over the cyclic line ranges `(start, count)` of `input`
    /// (workload.py's `LogProcessing.expected`); `cycle` is one pass over every line.
    package static func expected(_ ranges: [(start: Int, count: Int)], input: LogInput, cycle: LogTotals) -> LogTotals {
        var totals = LogTotals()
        let n = input.count
        for (start, count) in ranges {
            let (full, rest) = count.quotientAndRemainder(dividingBy: n)
            if full > 0 { totals.merge(cycle, times: full) }
            var position = start % n
            var left = rest
            while left > 0 {
                let end = min(n, position + left)
                for index in position..<end { totals.add(truth: input.truth[index]) }
                left -= end - position
                position = end % n
            }
        }
        return totals
    }

    /// `{"bytes":..,"errors":..,"ips":[..],"lines":..,"paths":{..},"statuses":{..}}`.
    package func canonical() -> String {
        func sorted(_ keys: some Sequence<String>) -> [String] {
            keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }  // code-point order, as Python sorts
        }
        func object(_ dictionary: [String: Int]) -> String {
            "{" + sorted(dictionary.keys).map { "\(Self.quote($0)):\(dictionary[$0]!)" }.joined(separator: ",") + "}"
        }
        return "{\"bytes\":\(bytes),\"errors\":\(errors),\"ips\":[" + sorted(ips).map(Self.quote).joined(separator: ",")
            + "],\"lines\":\(lines),\"paths\":\(object(paths)),\"statuses\":\(object(statuses))}"
    }

    package func checksum() -> String {
        var hash = SHA256()
        hash.update(Array(canonical().utf8))
        return hash.hexDigest()
    }

    /// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`: non-ASCII as `\uXXXX`).
    package static func quote(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
