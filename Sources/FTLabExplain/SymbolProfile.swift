/// The worker threads' cpu-clock samples of one process, summed up per symbol.
public struct SymbolProfile: Sendable, Equatable {
    /// Samples taken on the worker threads.
    public var sampleCount: Int
    /// Per symbol: the samples with it anywhere on the stack (counted once per sample).
    /// Kernel frames count only when they are contention points; the rest of the kernel is
    /// the syscall machinery beneath them.
    public var inclusive: [String: Int]
    /// Per contention-table entry (by index): the samples attributed to it (each sample to
    /// at most one entry, the most specific it touches), and the callers they came from.
    public var contention: [Int: ContentionTally]
    /// Whether Python functions appear by name (the interpreter's perf trampoline worked).
    public var hasPythonFrames: Bool

    public init(sampleCount: Int = 0, inclusive: [String: Int] = [:], contention: [Int: ContentionTally] = [:],
                hasPythonFrames: Bool = false) {
        self.sampleCount = sampleCount
        self.inclusive = inclusive
        self.contention = contention
        self.hasPythonFrames = hasPythonFrames
    }

    /// Sums the samples of the threads in `tids` (the workers); other threads are ignored.
    public init(samples: [ProfileSample], tids: Set<Int>) {
        self.init()
        for sample in samples where tids.contains(sample.tid) {
            sampleCount += 1
            var seen = Set<String>()
            for frame in sample.frames where frame.symbol != "[unknown]" {
                if frame.isPython { hasPythonFrames = true }
                if frame.isKernel && ContentionSymbols.entry(for: frame.symbol) == nil { continue }
                if seen.insert(frame.display).inserted { inclusive[frame.display, default: 0] += 1 }
            }
            if let (entry, symbol, caller) = Self.attribute(sample.frames) {
                contention[entry, default: ContentionTally()].add(symbol: symbol, caller: caller)
            }
        }
    }

    /// The share of samples with `symbol` on the stack.
    public func share(_ symbol: String) -> Double {
        sampleCount > 0 ? Double(inclusive[symbol] ?? 0) / Double(sampleCount) : 0
    }

    /// The share of samples attributed to table entry `index`.
    public func contentionShare(_ index: Int) -> Double {
        sampleCount > 0 ? Double(contention[index]?.samples ?? 0) / Double(sampleCount) : 0
    }

    /// The most specific contention-table entry on `frames` (its index), the frame's symbol
    /// (the outermost, when the entry matches several), and the caller the wait happened
    /// under: the first frame above it that is neither a contention point nor interpreter
    /// plumbing, and the innermost Python function above it.
    package static func attribute(_ frames: [StackFrame]) -> (Int, String, String?)? {
        var best: (entry: Int, frame: Int)?
        for (i, frame) in frames.enumerated() {
            guard let entry = ContentionSymbols.table.firstIndex(where: { $0.matches(frame.symbol) }) else { continue }
            if let current = best, current.entry < entry { continue }
            best = (entry, i)
        }
        guard let best else { return nil }
        let above = frames[(best.frame + 1)...]
        let native = above.first { frame in
            !frame.isKernel && !frame.isPython && ContentionSymbols.entry(for: frame.symbol) == nil
                && !ContentionSymbols.isPlumbing(frame.symbol)
        }
        let python = above.first(where: \.isPython)
        let caller = [native?.symbol, python.map { "in " + $0.display }].compactMap { $0 }.joined(separator: " ")
        return (best.entry, frames[best.frame].symbol, caller.isEmpty ? nil : caller)
    }
}

/// How many samples one contention point got, in which of its functions, under which callers.
public struct ContentionTally: Sendable, Equatable {
    public var samples = 0
    public var symbols: [String: Int] = [:]
    public var callers: [String: Int] = [:]

    public init() {}

    package mutating func add(symbol: String, caller: String?) {
        samples += 1
        symbols[symbol, default: 0] += 1
        if let caller { callers[caller, default: 0] += 1 }
    }

    /// The function most of these samples were in.
    public var mainSymbol: String? { Self.most(symbols) }
    /// The caller most of these samples came from.
    public var mainCaller: String? { Self.most(callers) }

    /// The key with the highest count (ties: alphabetical).
    package static func most(_ counts: [String: Int]) -> String? {
        counts.max { $0.value < $1.value || $0.value == $1.value && $0.key > $1.key }?.key
    }
}
