/// Linux cpulist syntax (`0-3,8,10-11`), as used by sysfs, `taskset -c` and `ftlab --placement cpus:`.
///
/// Order is kept: `1,0` parses to `[1, 0]` and formats back to `1,0`, because a placement list
/// gives one CPU per worker thread in order. Node lists use the same syntax.
public enum CPUList {
    /// The largest id accepted, far above any kernel's NR_CPUS (8192).
    public static let maxID = 65535

    /// Parses `text` into CPU ids in the order written. Ranges must ascend, ids must not repeat.
    public static func parse(_ text: String) throws(CPUListError) -> [Int] {
        guard !text.isEmpty else { throw .empty }
        var cpus: [Int] = []
        var seen = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count),
                  bounds.allSatisfy(isDecimal),
                  let first = Int(bounds[0]), let last = Int(bounds[bounds.count - 1])
            else { throw .badSyntax(list: text, item: String(item)) }
            guard last <= maxID else { throw .tooLarge(list: text, cpu: last) }
            guard first <= last else { throw .descendingRange(list: text, range: String(item)) }
            for cpu in first...last {
                guard seen.insert(cpu).inserted else { throw .duplicate(list: text, cpu: cpu) }
                cpus.append(cpu)
            }
        }
        return cpus
    }

    private static func isDecimal(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Formats `cpus` in the given order, folding runs of consecutive ascending ids into ranges.
    /// An empty list formats as the empty string, as in sysfs.
    public static func format(_ cpus: [Int]) -> String {
        var parts: [String] = []
        var index = cpus.startIndex
        while index < cpus.endIndex {
            var end = index
            while end + 1 < cpus.endIndex, cpus[end + 1] == cpus[end] + 1 { end += 1 }
            parts.append(end == index ? "\(cpus[index])" : "\(cpus[index])-\(cpus[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}

/// A malformed cpulist; the description quotes the list and the offending part.
public enum CPUListError: FTLabError, Equatable {
    case empty
    case badSyntax(list: String, item: String)
    case descendingRange(list: String, range: String)
    case duplicate(list: String, cpu: Int)
    case tooLarge(list: String, cpu: Int)

    public var description: String {
        let expected = "expected ids and ascending ranges separated by commas, e.g. 0-3,8,10-11"
        return switch self {
        case .empty: "empty CPU list; \(expected)"
        case let .badSyntax(list, item): "bad CPU list \"\(list)\": \"\(item)\" is not an id or a range; \(expected)"
        case let .descendingRange(list, range): "bad CPU list \"\(list)\": range \(range) descends; write it low-high"
        case let .duplicate(list, cpu): "bad CPU list \"\(list)\": CPU \(cpu) appears twice"
        case let .tooLarge(list, cpu): "bad CPU list \"\(list)\": \(cpu) is above the largest id, \(CPUList.maxID)"
        }
    }
}
