import FTLabCore
/// buffered-copy's file content, ported byte for byte from `Workloads/buffered-copy/workload.py`
/// (`body`, `head`, `record`, `content`, `parse_size`): the same seed gives the same bytes.
///
/// Record k of file f is `head(f, k) + body(f) + head(f, k)`, `chunk` bytes long, with
/// `head(f, k) = "%05x%010x\n"` and `body(f)` a seeded 256-byte pattern repeated.
package enum CopyContent {
    /// Bytes of a record's head (and of its tail).
    package static let headLength = 16
    private static let patternWords = 32

    /// Bytes from a size parameter: digits with an optional K, M or G suffix (powers of 1024).
    package static func parseSize(_ name: String, _ text: String) throws(NativeError) -> Int {
        guard let bytes = ByteSize.parse(text, suffixes: "KMG"), bytes >= 1, let value = Int(exactly: bytes) else {
            throw .badParameter("param '\(name)' must be a positive size like 4096, 64K or 8M, not '\(text)'")
        }
        return value
    }

    /// One step of SplitMix64: (next state, output).
    package static func splitMix64(_ state: UInt64) -> (UInt64, UInt64) {
        let next = state &+ 0x9E37_79B9_7F4A_7C15
        var z = (next ^ (next >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (next, z ^ (z >> 31))
    }

    /// The bytes between the head and the tail of every record of file `file`.
    package static func body(seed: Int, file: Int, chunk: Int) -> [UInt8] {
        var state = UInt64(bitPattern: Int64(seed)) ^ (UInt64(file + 1) &* 0xD1B5_4A32_D192_ED03)
        var pattern: [UInt8] = []
        for _ in 0..<patternWords {
            let (next, word) = splitMix64(state)
            state = next
            for byte in 0..<8 { pattern.append(UInt8(truncatingIfNeeded: word >> UInt64(8 * byte))) }
        }
        let length = chunk - 2 * headLength
        return (0..<length).map { pattern[$0 % pattern.count] }
    }

    /// `"%05x%010x\n" % (file, record)` as bytes.
    package static func head(file: Int, record: Int) -> [UInt8] {
        func hex(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return Array((hex(file, width: 5) + hex(record, width: 10) + "\n").utf8)
    }

    /// The first `length` (default: all `size`) bytes of file `file`, records 0, 1, ... of
    /// `chunk` bytes, in blocks of about 1 MiB (workload.py's `blocks`).
    package static func blocks(seed: Int, file: Int, size: Int, chunk: Int, length: Int? = nil) -> Blocks {
        Blocks(file: file, chunk: chunk, records: size / chunk, filler: body(seed: seed, file: file, chunk: chunk),
               left: length ?? size)
    }

    /// A file's content, generated a block at a time so memory stays small.
    package struct Blocks: Sequence, IteratorProtocol {
        package static let blockBytes = 1 << 20
        package let file: Int
        package let chunk: Int
        package let records: Int
        package let filler: [UInt8]
        package var left: Int
        private var nextRecord = 0

        package init(file: Int, chunk: Int, records: Int, filler: [UInt8], left: Int) {
            self.file = file
            self.chunk = chunk
            self.records = records
            self.filler = filler
            self.left = left
        }

        package mutating func next() -> [UInt8]? {
            guard left > 0, nextRecord < records else { return nil }
            let end = Swift.min(records, nextRecord + Swift.max(1, Self.blockBytes / chunk))
            var block: [UInt8] = []
            block.reserveCapacity((end - nextRecord) * chunk)
            for k in nextRecord..<end {
                let h = head(file: file, record: k)
                block += h
                block += filler
                block += h
            }
            nextRecord = end
            if block.count > left { block.removeLast(block.count - left) }
            left -= block.count
            return block
        }
    }
}
