import Testing
import FTLabRunner
import FTLabLoadGen

@Suite("HTTP response reading")
struct ResponseReaderTests {
    static let ok = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}".utf8)

    @Test("a complete response: status, head length, body, keep-alive")
    func complete() throws {
        var reader = ResponseReader()
        reader.append(Self.ok)
        let head = try #require(try reader.next())
        #expect(head.status == 200 && head.contentLength == 11 && !head.closes)
        #expect(Array(reader.buffer[head.length..<head.totalLength]) == Array("{\"ok\":true}".utf8))
        reader.consume(head)
        #expect(reader.isEmpty)
        #expect(try reader.next() == nil)
    }

    @Test("bytes arriving one at a time, and two responses back to back on one connection")
    func incremental() throws {
        var reader = ResponseReader()
        var seen: [ResponseHead] = []
        for byte in Self.ok + Self.ok {
            reader.append([byte])
            while let head = try reader.next() {
                seen.append(head)
                reader.consume(head)
            }
        }
        #expect(seen.count == 2)
        #expect(seen.allSatisfy { $0.status == 200 && $0.totalLength == Self.ok.count })
    }

    @Test("header names in any case, Connection: close and HTTP/1.0")
    func connectionHeader() throws {
        for (text, closes) in [("HTTP/1.1 404 Not Found\r\ncontent-LENGTH: 0\r\nCONNECTION: Close\r\n\r\n", true),
                               ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true),
                               ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", false)] {
            var reader = ResponseReader()
            reader.append(Array(text.utf8))
            let head = try #require(try reader.next())
            #expect(head.closes == closes, "\(text)")
        }
    }

    @Test("responses it cannot frame are errors", arguments: [
        ("SMTP 220 hello\r\n\r\n", ResponseError.malformedStatusLine("SMTP 220 hello")),
        ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", .malformedHeader("no colon here")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferEncoding("chunked")),
        ("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", .missingContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n", .malformedHeader("Content-Length: -3")),
    ])
    func malformed(text: String, error: ResponseError) {
        var reader = ResponseReader()
        reader.append(Array(text.utf8))
        #expect(throws: error) { try reader.next() }
    }

    @Test("CRC-32 matches zlib.crc32")
    func crc() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }
}
