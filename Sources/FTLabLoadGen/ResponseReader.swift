import FTLabCore
/// What the load generator needs from one response's head.
public struct ResponseHead: Sendable, Equatable {
    public var status: Int
    /// Bytes of the head, blank line included: the body starts at this offset.
    public var length: Int
    public var contentLength: Int
    /// The connection ends after this response (`Connection: close`, or HTTP/1.0 without
    /// `Connection: keep-alive`).
    public var closes: Bool

    /// Head and body together.
    public var totalLength: Int { length + contentLength }
}

/// A response the load generator cannot read; the connection it came on is closed.
public enum ResponseError: FTLabError, Equatable {
    case malformedStatusLine(String)
    case malformedHeader(String)
    case missingContentLength
    case unsupportedTransferEncoding(String)
    case headTooLarge(Int)

    /// The server answered wrongly: a failed process (exit status 1), not bad input.
    public var exitCode: Int32 { 1 }

    public var description: String {
        switch self {
        case .malformedStatusLine(let line): "malformed status line \"\(line)\""
        case .malformedHeader(let line): "malformed header line \"\(line)\""
        case .missingContentLength: "a response without Content-Length (bodies must be framed by it)"
        case .unsupportedTransferEncoding(let value): "unsupported Transfer-Encoding \"\(value)\""
        case .headTooLarge(let bytes): "a response head over \(bytes) bytes"
        }
    }
}

/// Reads HTTP/1.x responses off one keep-alive connection: bytes go in as they arrive, complete
/// responses come out. Bodies must be framed by `Content-Length` (every ftlab server sends it);
/// chunked transfer encoding is refused.
public struct ResponseReader: Sendable {
    /// Received bytes not yet consumed; a complete response's body is
    /// `buffer[head.length ..< head.totalLength]` until ``consume(_:)``.
    public private(set) var buffer: [UInt8] = []
    private var head: ResponseHead?
    /// Bytes already searched for the end of the head.
    private var scanned = 0
    public static let maxHeadBytes = 64 * 1024

    public init() {}

    /// True when no unconsumed byte is buffered.
    public var isEmpty: Bool { buffer.isEmpty }

    /// Adds received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete response, or nil while its bytes are still on their way.
    public mutating func next() throws(ResponseError) -> ResponseHead? {
        if head == nil {
            guard let end = headEnd() else {
                if buffer.count > Self.maxHeadBytes { throw .headTooLarge(Self.maxHeadBytes) }
                return nil
            }
            head = try Self.parseHead(buffer[..<end])
        }
        guard let head, buffer.count >= head.totalLength else { return nil }
        return head
    }

    /// Drops a response returned by ``next()``; the reader moves on to the following one.
    public mutating func consume(_ response: ResponseHead) {
        buffer.removeFirst(response.totalLength)
        head = nil
        scanned = 0
    }

    /// Forgets everything buffered (the connection was closed).
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        head = nil
        scanned = 0
    }

    /// The offset just past the head's blank line, if it has arrived.
    private mutating func headEnd() -> Int? {
        let from = max(0, scanned - 3)
        let found: Int? = buffer.withUnsafeBufferPointer { bytes in
            var i = from
            while i + 3 < bytes.count {
                if bytes[i] == 13, bytes[i + 1] == 10, bytes[i + 2] == 13, bytes[i + 3] == 10 { return i + 4 }
                i += 1
            }
            return nil
        }
        scanned = buffer.count
        return found
    }

    /// Parses a head (status line, headers, blank line), byte by byte: no allocation unless it
    /// is malformed.
    package static func parseHead(_ head: ArraySlice<UInt8>) throws(ResponseError) -> ResponseHead {
        try head.withUnsafeBufferPointer { (bytes) throws(ResponseError) -> ResponseHead in
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]).prefix(120), as: UTF8.self) }
            func lineEnd(from start: Int) -> Int {
                var i = start
                while i + 1 < bytes.count, !(bytes[i] == 13 && bytes[i + 1] == 10) { i += 1 }
                return i + 1 < bytes.count ? i : bytes.count
            }
            let statusEnd = lineEnd(from: 0)
            let digits = 9..<12
            guard statusEnd >= 12, matches(bytes, 0, "HTTP/1."), bytes[8] == 32, statusEnd == 12 || bytes[12] == 32,
                  digits.allSatisfy({ (48...57).contains(bytes[$0]) }) else {
                throw .malformedStatusLine(text(0..<statusEnd))
            }
            let status = digits.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) }
            guard status >= 100 else { throw .malformedStatusLine(text(0..<statusEnd)) }
            var contentLength: Int?
            var connection: Connection = .unspecified
            var start = statusEnd + 2
            while start < bytes.count {
                let end = lineEnd(from: start)
                if end == start { break }  // the blank line
                guard let colon = (start..<end).first(where: { bytes[$0] == 58 }) else { throw .malformedHeader(text(start..<end)) }
                var valueStart = colon + 1, valueEnd = end
                while valueStart < valueEnd, bytes[valueStart] == 32 || bytes[valueStart] == 9 { valueStart += 1 }
                while valueEnd > valueStart, bytes[valueEnd - 1] == 32 || bytes[valueEnd - 1] == 9 { valueEnd -= 1 }
                let name = start..<colon, value = valueStart..<valueEnd
                if equalsLowercased(bytes, name, "content-length") {
                    guard !value.isEmpty, value.count <= 18, value.allSatisfy({ (48...57).contains(bytes[$0]) }) else {
                        throw .malformedHeader(text(start..<end))
                    }
                    contentLength = value.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) }
                } else if equalsLowercased(bytes, name, "connection") {
                    connection = equalsLowercased(bytes, value, "close") ? .close
                        : equalsLowercased(bytes, value, "keep-alive") ? .keepAlive : .unspecified
                } else if equalsLowercased(bytes, name, "transfer-encoding"), !equalsLowercased(bytes, value, "identity") {
                    throw .unsupportedTransferEncoding(text(value))
                }
                start = end + 2
            }
            guard let contentLength else { throw .missingContentLength }
            let closes = bytes[7] == 48 ? connection != .keepAlive : connection == .close  // HTTP/1.0 closes by default
            return ResponseHead(status: status, length: bytes.count, contentLength: contentLength, closes: closes)
        }
    }

    private enum Connection { case unspecified, close, keepAlive }

    /// True when `bytes` holds `literal` at `offset`.
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, _ literal: StaticString) -> Bool {
        guard offset + literal.utf8CodeUnitCount <= bytes.count else { return false }
        return (0..<literal.utf8CodeUnitCount).allSatisfy { bytes[offset + $0] == literal.utf8Start[$0] }
    }

    /// True when `bytes[range]`, ASCII-lowercased, is `literal` (lowercase).
    private static func equalsLowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        return (0..<range.count).allSatisfy { i in
            let byte = bytes[range.lowerBound + i]
            return ((65...90).contains(byte) ? byte + 32 : byte) == literal.utf8Start[i]
        }
    }
}
