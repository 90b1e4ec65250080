import Foundation

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
public enum ResponseError: Error, Equatable, CustomStringConvertible {
    case malformedStatusLine(String)
    case malformedHeader(String)
    case missingContentLength
    case unsupportedTransferEncoding(String)
    case headTooLarge(Int)

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

    /// Parses a head (status line, headers, blank line).
    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(ResponseError) -> ResponseHead {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).makeIterator()
        let statusLine = lines.next().map(String.init) ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3,
              let status = Int(parts[1]), status >= 100 else {
            throw .malformedStatusLine(String(statusLine.prefix(120)))
        }
        var contentLength: Int?
        var connection = ""
        while let line = lines.next() {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHeader(String(line.prefix(120))) }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-length":
                guard let n = Int(value), n >= 0 else { throw .malformedHeader(String(line.prefix(120))) }
                contentLength = n
            case "connection":
                connection = value.lowercased()
            case "transfer-encoding" where value.lowercased() != "identity":
                throw .unsupportedTransferEncoding(value)
            default:
                break
            }
        }
        guard let contentLength else { throw .missingContentLength }
        let closes = parts[0] == "HTTP/1.0" ? connection != "keep-alive" : connection == "close"
        return ResponseHead(status: status, length: bytes.count, contentLength: contentLength, closes: closes)
    }
}
