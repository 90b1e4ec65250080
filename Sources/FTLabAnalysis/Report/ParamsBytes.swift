/// Tests of a row's `params` that the report makes of every row it reads, on its bytes: no
/// splitting into substrings and no Foundation or generic string search, each of which costs
/// more than the rest of the row's handling.
enum ParamsBytes {
    /// Whether `params` holds `item` as one of its `;`-separated items.
    static func holds(_ params: String, item: StaticString) -> Bool {
        bytes(of: params) { params in
            item.withUTF8Buffer { item in
                var start = 0
                while start <= params.count {
                    var end = start
                    while end < params.count, params[end] != UInt8(ascii: ";") { end += 1 }
                    if end - start == item.count, equal(params, from: start, item) { return true }
                    start = end + 1
                }
                return false
            }
        }
    }

    /// Whether `params` contains the bytes of `part` anywhere.
    static func contains(_ params: String, _ part: StaticString) -> Bool {
        bytes(of: params) { params in
            part.withUTF8Buffer { part in
                guard part.count <= params.count else { return false }
                return (0...(params.count - part.count)).contains { equal(params, from: $0, part) }
            }
        }
    }

    /// Whether `text` holds `part`'s bytes from `start` on.
    private static func equal(_ text: UnsafeBufferPointer<UInt8>, from start: Int, _ part: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<part.count where text[start + index] != part[index] { return false }
        return true
    }

    private static func bytes(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(body) ?? Array(text.utf8).withUnsafeBufferPointer(body)
    }
}
