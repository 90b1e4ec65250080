/// The fields of one access-log line that the totals need: byte ranges of the line, the
/// status as a number (three digits) and the size ("-" is 0).
package struct ParsedLogLine {
    package var ip: Range<Int>
    package var path: Range<Int>
    package var status: Int
    package var bytes: Int
}

/// Accepts exactly the lines log-processing's regex accepts with `fullmatch`:
///
///     (?P<ip>\S+) \S+ \S+ \[[^\]]+\] "[A-Z]+ (?P<path>[^\s?"]+)(?:\?[^\s"]*)? HTTP/\d\.\d"
///     (?P<status>\d{3}) (?P<bytes>\d+|-) "[^"]*" "[^"]*"
///
/// Every repetition in it is followed by a byte it cannot match, so the regex never
/// backtracks and one forward scan decides. `\s` is Python's for ASCII (space, \t-\r,
/// \x1c-\x1f); a non-ASCII byte counts as non-space and `\d` as 0-9 only: exact for the
/// generated input, which is ASCII, and the exact-totals check would show any difference.
package enum LogParser {
    package static func parse(_ line: UnsafeBufferPointer<UInt8>) -> ParsedLogLine? {
        var scanner = Scanner(bytes: line)
        return scanner.line()
    }

    private struct Scanner {
        package let bytes: UnsafeBufferPointer<UInt8>
        package var at = 0

        package mutating func line() -> ParsedLogLine? {
            guard let ip = run(while: { !LogParser.isSpace($0) }), take(" "),
                  run(while: { !LogParser.isSpace($0) }) != nil, take(" "),
                  run(while: { !LogParser.isSpace($0) }) != nil, take(" "),
                  take("["), run(while: { $0 != ascii("]") }) != nil, take("]"), take(" "),
                  take("\""), run(while: { $0 >= ascii("A") && $0 <= ascii("Z") }) != nil, take(" "),
                  let path = run(while: { !LogParser.isSpace($0) && $0 != ascii("?") && $0 != ascii("\"") })
            else { return nil }
            if take("?") { _ = run(while: { !LogParser.isSpace($0) && $0 != ascii("\"") }) }
            guard take(" HTTP/"), digit() != nil, take("."), digit() != nil, take("\""), take(" "),
                  let s1 = digit(), let s2 = digit(), let s3 = digit(), take(" ")
            else { return nil }
            var size = 0
            if !take("-") {
                guard let digits = run(while: LogParser.isDigit) else { return nil }
                for i in digits { size = size &* 10 &+ Int(bytes[i] - ascii("0")) }
            }
            guard take(" "), take("\""), skipQuoted(), take(" "), take("\""), skipQuoted(), at == bytes.count
            else { return nil }
            return ParsedLogLine(ip: ip, path: path, status: s1 * 100 + s2 * 10 + s3, bytes: size)
        }

        /// The maximal non-empty run of bytes matching `accept` from here, or nil.
        package mutating func run(while accept: (UInt8) -> Bool) -> Range<Int>? {
            let start = at
            while at < bytes.count, accept(bytes[at]) { at += 1 }
            return at > start ? start..<at : nil
        }

        /// Consumes `literal` if the bytes here spell it.
        package mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard at + count <= bytes.count else { return false }
            for i in 0..<count where bytes[at + i] != literal.utf8Start[i] { return false }
            at += count
            return true
        }

        package mutating func digit() -> Int? {
            guard at < bytes.count, LogParser.isDigit(bytes[at]) else { return nil }
            at += 1
            return Int(bytes[at - 1] - ascii("0"))
        }

        /// `[^"]*"`: up to and including the next quote.
        package mutating func skipQuoted() -> Bool {
            _ = run(while: { $0 != ascii("\"") })
            return take("\"")
        }
    }

    package static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte) || (0x1C...0x1F).contains(byte)
    }

    package static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

private func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }
