
/// Refuses, before the TOML parser sees them, the malformed manifests that TOMLKit 0.6.0's
/// parser (toml++ 3.4.0) does not report but traps on: an assertion failure in a debug build,
/// undefined behaviour with NDEBUG. Found by fuzzing (Tests/Fuzz):
/// - a table header with no key after its brackets: `[!]`, `[[=x]]`, `[` alone on a line
///   (toml++ fixed this after 3.4.0, marzer/tomlplusplus#301);
/// - a bare value the parser's type guess sends to a typed reader that then finds no digit
///   where it asserts one: `1979-05-27T:00:00Z`.
///
/// The scan follows TOML's lexical structure (strings, comments, headers, keys, `=`, arrays,
/// inline tables) far enough to know which bare words are values, and requires every bare
/// value to be a TOML 1.0 boolean, number, date or time, cut where the parser cuts it. Where
/// the scan could part from the parser, the parser has already reported an earlier error:
/// valid TOML is never refused.
package enum TOMLPrecheck {
    /// What the check refuses, and where.
    package enum Finding: Equatable, Sendable {
        case namelessHeader(line: Int)
        case badValue(line: Int, value: String)

        /// The 1-based line.
        package var line: Int {
            switch self {
            case .namelessHeader(let line), .badValue(let line, _): line
            }
        }

        package var reason: String {
            switch self {
            case .namelessHeader: "a table header without a name (`[` or `[[` must be followed by a key)"
            case .badValue(_, let value):
                "`\(value)` is not a TOML value (a string needs quotes; numbers, booleans, dates and times are bare)"
            }
        }
    }

    private enum Nesting { case array, inlineTable }

    /// The first problem in `text`, nil when there is none.
    package static func check(_ text: String) -> Finding? {
        var bytes = Array(text.utf8)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }  // the parser skips a BOM
        let end = bytes.endIndex
        func byte(_ at: Int) -> UInt8? { at < end ? bytes[at] : nil }
        var line = 1
        var lineStart = true  // nothing but whitespace so far on this line
        var nesting: [Nesting] = []  // arrays and inline tables open in a value
        var expectsValue = false  // a bare word here is a value (after `=`, in an array), not a key
        var inHeader = false  // the brackets of a header open no array
        var i = bytes.startIndex
        while i < end {
            let c = bytes[i]
            if c == newline {
                line += 1
                lineStart = true
                inHeader = false
                if nesting.isEmpty { expectsValue = false }
                i += 1
                continue
            }
            if c == space || c == tab || c == carriageReturn {
                i += 1
                continue
            }
            let statementStart = lineStart && nesting.isEmpty
            lineStart = false
            switch c {
            case UInt8(ascii: "#"):
                while i < end, bytes[i] != newline { i += 1 }
                continue
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let escapes = c == UInt8(ascii: "\"")
                if byte(i + 1) == c, byte(i + 2) == c {  // multi-line: up to the closing run of quotes
                    i += 3
                    while i < end {
                        if escapes, bytes[i] == UInt8(ascii: "\\") {
                            if byte(i + 1) == newline { line += 1 }
                            i += 2
                            continue
                        }
                        if bytes[i] == newline { line += 1 }
                        if bytes[i] == c, byte(i + 1) == c, byte(i + 2) == c {
                            while byte(i) == c { i += 1 }
                            break
                        }
                        i += 1
                    }
                    i = min(i, end)
                    continue
                }
                i += 1  // one line: up to the closing quote or the end of the line
                while i < end, bytes[i] != c, bytes[i] != newline {
                    i += escapes && bytes[i] == UInt8(ascii: "\\") && byte(i + 1) != newline ? 2 : 1
                }
                i = min(i, end)
                if i < end, bytes[i] == c { i += 1 }
                continue
            case UInt8(ascii: "[") where statementStart:
                var j = i + 1
                while byte(j) == space || byte(j) == tab { j += 1 }
                if byte(j) == UInt8(ascii: "[") {
                    j += 1
                    while byte(j) == space || byte(j) == tab { j += 1 }
                }
                guard let first = byte(j), isKeyStart(first) else { return .namelessHeader(line: line) }
                inHeader = true
                expectsValue = false
                i = j
                continue
            case UInt8(ascii: "[") where expectsValue && !inHeader:
                nesting.append(.array)
            case UInt8(ascii: "{") where expectsValue && !inHeader:
                nesting.append(.inlineTable)
                expectsValue = false
            case UInt8(ascii: "]") where !inHeader && nesting.last == .array,
                 UInt8(ascii: "}") where !inHeader && nesting.last == .inlineTable:
                nesting.removeLast()
                expectsValue = nesting.last != .inlineTable
            case UInt8(ascii: "}") where !inHeader && nesting.last == .array:
                return .badValue(line: line, value: "}")  // the parser reads it as a value and traps
            case UInt8(ascii: ","):
                if let last = nesting.last { expectsValue = last == .array }
            case UInt8(ascii: "=") where !expectsValue:
                if !inHeader, nesting.last != .array { expectsValue = true }
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                break
            default:
                guard expectsValue, !inHeader else { break }
                // A bare value, cut where the parser cuts it; a date, a space and a digit are one
                // date-time (the space standing for the `T`), as the parser reads them.
                var j = i
                while j < end, !isValueTerminator(bytes[j]) { j += 1 }
                if isDate(bytes[i..<j]), byte(j) == space, let next = byte(j + 1), isDigit(next) {
                    j += 1
                    while j < end, !isValueTerminator(bytes[j]) { j += 1 }
                }
                let value = bytes[i..<j]
                guard isScalar(value) else {
                    return .badValue(line: line, value: String(decoding: value.prefix(40), as: UTF8.self))
                }
                if nesting.last == .inlineTable { expectsValue = false }
                i = j
                continue
            }
            i += 1
        }
        return nil
    }

    private static let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// A bare key character or a quote: what a key starts with.
    private static func isKeyStart(_ c: UInt8) -> Bool {
        isDigit(c) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")
    }

    private static func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }

    /// Where the parser ends a bare value: ASCII whitespace (line breaks included), `]`, `}`,
    /// `,`, `#`. (It also ends one at non-ASCII whitespace, which no valid value holds.)
    private static func isValueTerminator(_ c: UInt8) -> Bool {
        c == space || c == tab || (0x0A...0x0D).contains(c)
            || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: ",") || c == UInt8(ascii: "#")
    }

    /// `YYYY-MM-DD` (digits where the parser's date reader asserts them).
    private static func isDate(_ bytes: ArraySlice<UInt8>) -> Bool {
        let t = Array(bytes)
        return t.count == 10 && dateEnd(t, 0) == 10
    }

    /// A TOML 1.0 boolean, integer, float, infinity, NaN, local date, local time, local or
    /// offset date-time, at most 64 characters (the parser refuses longer numbers anyway).
    private static func isScalar(_ bytes: ArraySlice<UInt8>) -> Bool {
        let t = Array(bytes)
        guard !t.isEmpty, t.count <= 64 else { return false }
        if t == Array("true".utf8) || t == Array("false".utf8) { return true }
        if let end = dateEnd(t, 0) {  // YYYY-MM-DD, then T (or t, or a space), a time and an offset
            guard end < t.count else { return true }
            guard [UInt8(ascii: "T"), UInt8(ascii: "t"), space].contains(t[end]), let timeEnd = timeEnd(t, end + 1) else { return false }
            guard timeEnd < t.count else { return true }
            if t[timeEnd] == UInt8(ascii: "Z") || t[timeEnd] == UInt8(ascii: "z") { return timeEnd + 1 == t.count }
            guard t[timeEnd] == UInt8(ascii: "+") || t[timeEnd] == UInt8(ascii: "-") else { return false }
            return digits(t, timeEnd + 1, 2) && colon(t, timeEnd + 3) && digits(t, timeEnd + 4, 2) && timeEnd + 6 == t.count
        }
        if let end = timeEnd(t, 0) { return end == t.count }
        if t.count > 2, t[0] == UInt8(ascii: "0") {  // 0x, 0o, 0b: unsigned, digits of the radix
            let radix: ((UInt8) -> Bool)? = switch t[1] {
            case UInt8(ascii: "x"): { isDigit($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) }
            case UInt8(ascii: "o"): { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }
            case UInt8(ascii: "b"): { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
            default: nil
            }
            if let radix { return run(t, 2, radix) == t.count }
        }
        var p = 0
        if t[0] == UInt8(ascii: "+") || t[0] == UInt8(ascii: "-") { p = 1 }
        let rest = Array(t[p...])
        if rest == Array("inf".utf8) || rest == Array("nan".utf8) { return true }
        guard p < t.count, isDigit(t[p]) else { return false }
        if t[p] == UInt8(ascii: "0") { p += 1 } else if let end = run(t, p, isDigit) { p = end }
        if p < t.count, t[p] == UInt8(ascii: ".") {
            guard let end = run(t, p + 1, isDigit) else { return false }
            p = end
        }
        if p < t.count, t[p] == UInt8(ascii: "e") || t[p] == UInt8(ascii: "E") {
            p += 1
            if p < t.count, t[p] == UInt8(ascii: "+") || t[p] == UInt8(ascii: "-") { p += 1 }
            guard let end = run(t, p, isDigit) else { return false }
            p = end
        }
        return p == t.count
    }

    /// The end of digits with single underscores between them, starting at `p` (nil: no digit there).
    private static func run(_ t: [UInt8], _ p: Int, _ isDigit: (UInt8) -> Bool) -> Int? {
        guard p < t.count, isDigit(t[p]) else { return nil }
        var i = p + 1
        while i < t.count {
            if isDigit(t[i]) {
                i += 1
            } else if t[i] == UInt8(ascii: "_"), i + 1 < t.count, isDigit(t[i + 1]) {
                i += 2
            } else {
                break
            }
        }
        return i
    }

    /// Whether `t` holds `count` decimal digits at `p`.
    private static func digits(_ t: [UInt8], _ p: Int, _ count: Int) -> Bool {
        p >= 0 && p + count <= t.count && t[p..<(p + count)].allSatisfy(isDigit)
    }

    private static func colon(_ t: [UInt8], _ p: Int) -> Bool { p < t.count && t[p] == UInt8(ascii: ":") }

    /// The end of `YYYY-MM-DD` at `p`, if it is there.
    private static func dateEnd(_ t: [UInt8], _ p: Int) -> Int? {
        let dash = UInt8(ascii: "-")
        guard digits(t, p, 4), p + 4 < t.count, t[p + 4] == dash, digits(t, p + 5, 2), p + 7 < t.count, t[p + 7] == dash,
              digits(t, p + 8, 2) else { return nil }
        return p + 10
    }

    /// The end of `HH:MM:SS` with an optional fraction at `p`, if it is there.
    private static func timeEnd(_ t: [UInt8], _ p: Int) -> Int? {
        guard digits(t, p, 2), colon(t, p + 2), digits(t, p + 3, 2), colon(t, p + 5), digits(t, p + 6, 2) else { return nil }
        var end = p + 8
        if end < t.count, t[end] == UInt8(ascii: ".") {
            guard digits(t, end + 1, 1) else { return nil }
            end += 1
            while end < t.count, isDigit(t[end]) { end += 1 }
        }
        return end
    }
}
