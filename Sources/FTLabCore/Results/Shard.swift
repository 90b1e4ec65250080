/// One part of a run's plan (`--shard I/N`): shard `index` of `count`, both counted from 1.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(ShardError) {
        guard count >= 1, index >= 1, index <= count else { throw .badSpec("\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 1 <= I <= N, e.g. `2/4`.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let index = Int(parts[0]), let count = Int(parts[1]) else { throw .badSpec(text) }
        guard count >= 1, index >= 1, index <= count else { throw .badSpec(text) }
        self.index = index
        self.count = count
    }

    /// `I/N`, as the `shard` column holds it.
    public var description: String { "\(index)/\(count)" }
}

/// A bad `--shard`, or shards of one plan that do not add up to the whole plan.
public enum ShardError: FTLabError, Equatable {
    case badSpec(String)
    /// The shard gets no configuration: the plan has fewer configurations than shards.
    case emptyShard(shard: String, configurations: Int)
    /// A resumed file holds another shard or another plan than this run's.
    case resumedOther(path: String, found: String, expected: String)
    /// Rows of one run from different plans or shard counts.
    case mixedPlans(runID: String, found: [String])
    case missing(runID: String, planID: String, shards: [String])
    case duplicated(runID: String, planID: String, shard: String, files: [String])

    public var description: String {
        switch self {
        case .badSpec(let text):
            "bad --shard \"\(text)\"; expected I/N with 1 <= I <= N, e.g. 1/4 (shard 1 of 4)"
        case let .emptyShard(shard, configurations):
            "--shard \(shard) gets no configuration: the plan has only \(configurations) configuration"
                + (configurations == 1 ? "" : "s") + "; use at most \(configurations) shards"
        case let .resumedOther(path, found, expected):
            "\(path) holds \(found), not \(expected); resume it with the same plan and --shard, or choose another -o"
        case let .mixedPlans(runID, found):
            "run \(runID) has shards of different plans or shard counts (\(found.joined(separator: ", "))); "
                + "merge the parts of one plan, or give each plan its own --run-id"
        case let .missing(runID, planID, shards):
            "run \(runID) (plan \(planID)) is missing shard" + (shards.count == 1 ? " " : "s ")
                + shards.joined(separator: ", ") + "; run them (ftlab run ... --shard I/N) and merge all parts"
        case let .duplicated(runID, planID, shard, files):
            "run \(runID) (plan \(planID)) has shard \(shard) twice, in \(files.joined(separator: " and ")); "
                + "merge each shard exactly once"
        }
    }
}

/// The completeness check `ftlab merge` makes: the sharded rows of each run must hold every
/// shard of its plan exactly once. Unsharded rows are not checked.
/// What a merge has seen of sharded runs so far, row by row, so the rows can stream through.
public struct ShardTally: Sendable {
    private var runOrder: [String] = []
    // run id -> "plan P in N shards" -> shard -> the inputs (by position) holding it
    private var runs: [String: [String: [String: [Int]]]] = [:]
    private var planIDs: [String: String] = [:]

    public init() {}

    /// Counts `row`, read from the input at `position` (unsharded rows are ignored).
    public mutating func add(_ row: ResultRow, input position: Int) {
        guard !row.shard.isEmpty else { return }
        if runs[row.runID] == nil { runOrder.append(row.runID) }
        if planIDs[row.runID] == nil { planIDs[row.runID] = row.planID }
        let total = row.shard.split(separator: "/").last.map(String.init) ?? ""
        let plan = "plan \(row.planID) in \(total) shards"
        var holders = runs[row.runID, default: [:]][plan, default: [:]][row.shard, default: []]
        guard !holders.contains(position) else { return }
        holders.append(position)
        runs[row.runID, default: [:]][plan, default: [:]][row.shard] = holders
    }

    /// Throws the first problem found, runs in order of first appearance: a run mixing plans,
    /// a shard held by several inputs (`paths` names them by position), a shard missing.
    public func check(paths: [String]) throws(ShardError) {
        for runID in runOrder {
            let plans = runs[runID] ?? [:]
            guard plans.count == 1, let (_, shards) = plans.first else {
                throw .mixedPlans(runID: runID, found: plans.keys.sorted())
            }
            let parsed = shards.keys.compactMap { try? Shard(parsing: $0) }.sorted { $0.index < $1.index }
            guard let count = parsed.first?.count else { continue }
            let planID = planIDs[runID] ?? ""
            for shard in parsed {
                let holders = shards[shard.description] ?? []
                if holders.count > 1 {
                    throw .duplicated(runID: runID, planID: planID, shard: shard.description, files: holders.map { paths[$0] })
                }
            }
            let present = Set(parsed.map(\.index))
            let missing = (1...count).filter { !present.contains($0) }.map { "\($0)/\(count)" }
            if !missing.isEmpty { throw .missing(runID: runID, planID: planID, shards: missing) }
        }
    }
}

public enum ShardCheck {
    /// `inputs` are (file, rows) in merge order. Throws the first problem found, runs in order.
    public static func check(_ inputs: [(path: String, rows: [ResultRow])]) throws(ShardError) {
        var tally = ShardTally()
        for (position, input) in inputs.enumerated() {
            for row in input.rows { tally.add(row, input: position) }
        }
        try tally.check(paths: inputs.map(\.path))
    }
}
