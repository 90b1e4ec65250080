/// One frame of a sampled call stack.
public struct StackFrame: Sendable, Equatable {
    public var symbol: String
    public var isKernel: Bool

    public init(_ symbol: String, isKernel: Bool = false) {
        self.symbol = symbol
        self.isKernel = isKernel
    }

    /// A Python function named by the interpreter's perf trampoline (`-X perf`): `py::QUALNAME:FILE`.
    public var isPython: Bool { symbol.hasPrefix("py::") }

    /// How a person reads it: `SharedLock.run (workload.py)` for a Python frame, else the symbol.
    public var display: String {
        guard isPython else { return symbol }
        let body = symbol.dropFirst(4)
        guard let colon = body.firstIndex(of: ":") else { return String(body) }
        let file = body[body.index(after: colon)...]
        let base = file.hasPrefix("<") ? file : file.split(separator: "/").last ?? file
        return "\(body[..<colon]) (\(base))"
    }
}

/// One cpu-clock sample: the thread it hit and its call stack, leaf first.
public struct ProfileSample: Sendable, Equatable {
    public var tid: Int
    public var frames: [StackFrame]

    public init(tid: Int, frames: [StackFrame]) {
        self.tid = tid
        self.frames = frames
    }
}

/// Parses `perf script -F tid,ip,sym,dso` output with call chains: a header line holding the
/// thread id, then one tab-indented `ADDRESS SYMBOL (DSO)` line per frame, leaf first, and a
/// blank line between samples. Inlined functions come as frames of their own (`(inlined)`).
public enum PerfScript {
    public static func parse(_ text: String) -> [ProfileSample] {
        var samples: [ProfileSample] = []
        var current: ProfileSample?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if raw.first == "\t" {
                current?.frames.append(contentsOf: frame(raw).map { [$0] } ?? [])
                continue
            }
            if let sample = current { samples.append(sample) }
            current = nil
            let fields = raw.split(separator: " ")
            if let first = fields.first, let tid = Int(first) {
                current = ProfileSample(tid: tid, frames: [])
                // Without call chains the only frame sits on the header line.
                if fields.count > 2, let only = frame(fields.dropFirst().joined(separator: " ")[...]) {
                    current?.frames.append(only)
                }
            }
        }
        if let sample = current { samples.append(sample) }
        return samples
    }

    /// `ADDRESS SYMBOL (DSO)` -> the frame; nil for a line that is not one.
    package static func frame(_ line: Substring) -> StackFrame? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space].allSatisfy(\.isHexDigit) else { return nil }
        var rest = trimmed[trimmed.index(after: space)...]
        var dso = ""
        if rest.hasSuffix(")"), let open = rest.range(of: " (", options: .backwards) {
            dso = String(rest[open.upperBound..<rest.index(before: rest.endIndex)])
            rest = rest[..<open.lowerBound]
        }
        let symbol = rest.isEmpty ? "[unknown]" : String(rest)
        return StackFrame(symbol, isKernel: dso.hasPrefix("[kernel"))
    }
}
