/// A symbol whose share of samples changed between two profiles.
public struct SymbolGrowth: Sendable, Equatable {
    public var symbol: String
    public var baseShare: Double
    public var targetShare: Double
    /// The contention-table entry the symbol is, if any.
    public var contention: ContentionSymbol?
    /// Other symbols with exactly the same sample counts in both profiles: frames of the same
    /// stacks (callers, inlined helpers), folded into this row.
    public var sameStacks: [String] = []

    /// Percentage points, as a fraction: 0.31 is +31 points.
    public var growth: Double { targetShare - baseShare }
}

/// A contention point whose attributed share grew between two profiles.
public struct ContentionFinding: Sendable, Equatable {
    public var entry: ContentionSymbol
    /// The entry's function most of the target's samples were in.
    public var symbol: String
    public var baseShare: Double
    public var targetShare: Double
    /// Where most of the target's samples came from (`dict_get in run (workload.py)`).
    public var caller: String?

    public var growth: Double { targetShare - baseShare }
}

/// Compares two profiles (baseline -> target: fewer -> more threads, or GIL -> free-threaded).
public enum SymbolDiff {
    /// Growth below this is noise at the sample counts explain takes.
    public static let minimumGrowth = 0.02
    /// A contention point must grow at least this much to be a finding.
    public static let findingGrowth = 0.05

    /// The symbols whose share of samples grew most, largest first. Symbols with the same
    /// counts in both profiles are one row, named by the most specific contention point among
    /// them, if any.
    public static func growing(from base: SymbolProfile, to target: SymbolProfile, limit: Int = 8) -> [SymbolGrowth] {
        let all = target.inclusive.keys.map { symbol in
            SymbolGrowth(symbol: symbol, baseShare: base.share(symbol), targetShare: target.share(symbol),
                         contention: ContentionSymbols.entry(for: symbol))
        }
        var rows: [SymbolGrowth] = []
        for growth in all.filter({ $0.growth >= minimumGrowth }).sorted(by: largerGrowth) {
            guard let last = rows.last, last.baseShare == growth.baseShare, last.targetShare == growth.targetShare else {
                rows.append(growth)
                continue
            }
            if rank(growth) < rank(last) {
                rows[rows.count - 1] = growth
                rows[rows.count - 1].sameStacks = last.sameStacks + [last.symbol]
            } else {
                rows[rows.count - 1].sameStacks.append(growth.symbol)
            }
        }
        return Array(rows.prefix(limit))
    }

    /// How specific a symbol's contention point is (lower: more); plain symbols come last.
    package static func rank(_ growth: SymbolGrowth) -> Int {
        growth.contention.flatMap { entry in ContentionSymbols.table.firstIndex { $0 == entry } } ?? Int.max
    }

    package static func largerGrowth(_ a: SymbolGrowth, _ b: SymbolGrowth) -> Bool {
        a.growth > b.growth || a.growth == b.growth && a.symbol < b.symbol
    }

    /// The contention points that grew by `findingGrowth` or more, largest growth first.
    public static func findings(from base: SymbolProfile, to target: SymbolProfile) -> [ContentionFinding] {
        var found: [ContentionFinding] = []
        for (index, tally) in target.contention {
            let entry = ContentionSymbols.table[index]
            let finding = ContentionFinding(entry: entry, symbol: tally.mainSymbol ?? entry.names[0],
                                            baseShare: base.contentionShare(index), targetShare: target.contentionShare(index),
                                            caller: tally.mainCaller)
            if finding.growth >= findingGrowth { found.append(finding) }
        }
        return found.sorted { $0.growth > $1.growth || $0.growth == $1.growth && $0.symbol < $1.symbol }
    }
}
