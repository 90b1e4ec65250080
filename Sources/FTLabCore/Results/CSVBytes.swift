#if canImport(Glibc)
import Glibc
#endif

/// RFC 4180 on bytes: the results CSV's reader and writer split and quote fields by looking at
/// ASCII bytes (`,` `"` CR LF), which never occur inside a multi-byte UTF-8 sequence, so no
/// field is searched as a string.
///
/// The dialect is the one ftlab has always read: fields separated by `,`; a record ends at LF,
/// CRLF or a lone CR; a field that starts with `"` is quoted and runs to the next `"` that is
/// not doubled (`""` is one quote); a stray `"` inside a quoted field is kept as written; a `"`
/// inside an unquoted field is an ordinary byte.
package enum CSVBytes {
    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")

    /// One field of a record: a range of the scanned bytes.
    package struct Field: Sendable {
        /// The field's content, quotes excluded.
        package var start: Int
        package var end: Int
        /// Quoted: doubled quotes inside still stand for one.
        package var quoted: Bool
    }

    /// Splits the record that starts at `start` into `fields` (emptied first) and returns the
    /// index just past its line end. Returns nil when the record may go on past the end of
    /// `bytes` and more bytes may follow (`atEnd` false); at the end of the input the last
    /// record ends there. `start` must be before the end of `bytes`.
    package static func record(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool,
                               fields: inout [Field]) -> Int? {
        fields.removeAll(keepingCapacity: true)
        let n = bytes.count
        var i = start
        while true {
            if i < n, bytes[i] == quote {
                let content = i + 1
                var j = content
                while true {
                    guard j < n else {
                        guard atEnd else { return nil }
                        fields.append(Field(start: content, end: n, quoted: true))
                        return n
                    }
                    guard bytes[j] == quote else { j += 1; continue }
                    guard j + 1 < n else {
                        guard atEnd else { return nil }
                        fields.append(Field(start: content, end: j, quoted: true))
                        return n
                    }
                    let next = bytes[j + 1]
                    if next == comma || next == lf || next == cr {
                        fields.append(Field(start: content, end: j, quoted: true))
                        if next == comma { i = j + 2; break }
                        return lineEnd(bytes, at: j + 1, atEnd: atEnd)
                    }
                    j += 2  // a doubled quote, or a stray one kept with the byte after it
                }
            } else {
                var j = i
                var byte: UInt8 = 0
                // Eight bytes at a time while eight remain: the first `,` CR or LF among them.
                let base = UnsafeRawPointer(bytes.baseAddress!)
                while j + 8 <= n {
                    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: j, as: UInt64.self))
                    let found = Self.bytesEqual(word, comma) | Self.bytesEqual(word, lf) | Self.bytesEqual(word, cr)
                    if found != 0 {
                        j += found.trailingZeroBitCount >> 3
                        break
                    }
                    j += 8
                }
                while j < n {
                    byte = bytes[j]
                    if byte == comma || byte == lf || byte == cr { break }
                    j += 1
                }
                guard j < n else {
                    guard atEnd else { return nil }
                    fields.append(Field(start: i, end: n, quoted: false))
                    return n
                }
                fields.append(Field(start: i, end: j, quoted: false))
                if byte == comma { i = j + 1; continue }
                return lineEnd(bytes, at: j, atEnd: atEnd)
            }
        }
    }

    /// A word whose lowest set bit is the high bit of the first byte of `word` (in memory
    /// order, little-endian) equal to `byte`; 0 when none is. Bits above the first match may
    /// be set wrongly (a borrow), so only the lowest set bit counts.
    @inline(__always)
    private static func bytesEqual(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// Whether `count` bytes at `a` (in `aBytes`) equal those at `b` (in `bBytes`): up to 8 bytes
    /// as one word each where 8 bytes can be read, else memcmp.
    @inline(__always)
    static func equal(_ aBytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ bBytes: UnsafeBufferPointer<UInt8>, _ b: Int,
                      count: Int) -> Bool {
        guard count > 0 else { return true }
        let aBase = UnsafeRawPointer(aBytes.baseAddress!), bBase = UnsafeRawPointer(bBytes.baseAddress!)
        if count <= 8, a + 8 <= aBytes.count, b + 8 <= bBytes.count {
            let mask: UInt64 = count == 8 ? ~0 : (1 &<< UInt64(count &* 8)) &- 1
            let x = UInt64(littleEndian: aBase.loadUnaligned(fromByteOffset: a, as: UInt64.self))
            let y = UInt64(littleEndian: bBase.loadUnaligned(fromByteOffset: b, as: UInt64.self))
            return (x ^ y) & mask == 0
        }
        return memcmp(aBase + a, bBase + b, count) == 0
    }

    /// The index past the line end (LF, CR or CRLF) at `index`; nil when a CR is the last byte
    /// seen and an LF may follow.
    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, atEnd: Bool) -> Int? {
        guard bytes[index] == cr else { return index + 1 }
        guard index + 1 < bytes.count else { return atEnd ? index + 1 : nil }
        return bytes[index + 1] == lf ? index + 2 : index + 1
    }

    /// The field's value (doubled quotes undone; invalid UTF-8 replaced, as `String(decoding:)` does).
    package static func string(_ field: Field, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.quoted, raw.contains(quote) else { return String(decoding: raw, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            unescaped.append(raw[i])
            i += raw[i] == quote && i + 1 < raw.count && raw[i + 1] == quote ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// Appends `records` as RFC 4180 text: LF line ends, a field quoted only where it must be
    /// (``needsQuotes(_:)``); a record without fields writes nothing, and the text always ends
    /// with a line end.
    package static func append(_ records: [[String]], to out: inout [UInt8]) {
        let start = out.count
        for record in records where !record.isEmpty {
            appendRecord(record, to: &out)
        }
        if out.count == start { out.append(lf) }
    }

    /// Appends one record and its LF.
    package static func appendRecord(_ record: [String], to out: inout [UInt8]) {
        for (index, field) in record.enumerated() {
            if index > 0 { out.append(comma) }
            appendField(field, to: &out)
        }
        out.append(lf)
    }

    /// Appends one field, quoted when ``needsQuotes(_:)`` says so (one scan of its bytes).
    package static func appendField(_ field: String, to out: inout [UInt8]) {
        var utf8 = field
        utf8.withUTF8 { bytes in
            if needsQuotes(bytes, field) {
                out.append(quote)
                for byte in bytes {
                    out.append(byte)
                    if byte == quote { out.append(quote) }
                }
                out.append(quote)
            } else {
                out.append(contentsOf: bytes)
            }
        }
    }

    /// A field is quoted when it holds `,` `"` CR or LF, or starts or ends with a space
    /// (which a trimming reader would otherwise lose).
    package static func needsQuotes(_ field: String) -> Bool {
        var utf8 = field
        return utf8.withUTF8 { needsQuotes($0, field) }
    }

    private static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>, _ field: String) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        for byte in bytes where byte == comma || byte == quote || byte == lf || byte == cr {
            return true
        }
        // A space byte that begins or ends a combined character does not count as a space.
        return (first == space && field.hasPrefix(" ")) || (last == space && field.hasSuffix(" "))
    }

    /// Finds where records end in a byte stream fed in pieces: a LF outside quotes. Quotes are
    /// counted (a doubled `""` counts twice, so it changes nothing), as ftlab's writer quotes.
    struct RecordEnds {
        private var quoted = false
        /// The offset just past the last record-ending LF fed so far (0: none yet).
        private(set) var lastEnd = 0

        /// Scans `bytes`, which start at `offset` in the stream.
        mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            // Most blocks hold no quote at all (memchr, vectorised, tells): then every LF ends a
            // record (or none does, inside an open quote), and only the last one matters, found
            // from the end.
            if memchr(base, Int32(CSVBytes.quote), bytes.count) == nil {
                guard !quoted else { return }
                var index = bytes.count - 1
                while index >= 0, bytes[index] != CSVBytes.lf { index -= 1 }
                if index >= 0 { lastEnd = offset + index + 1 }
                return
            }
            var quoted = self.quoted
            var lastEnd = self.lastEnd
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte == CSVBytes.quote {
                    quoted.toggle()
                } else if byte == CSVBytes.lf, !quoted {
                    lastEnd = offset + index + 1
                }
            }
            self.quoted = quoted
            self.lastEnd = lastEnd
        }
    }
}
