import Foundation
import Testing
@testable import FTLabRunner
import FTLabCore
@testable import FTLabNative

/// The parts of native-swift that must agree with their Python twins byte for byte.
/// Expected values come from CPython (hashlib, json, workload.py, log-processing's regex).
@Suite("native-swift pieces")
struct NativePiecesTests {
    @Test("SHA-256 matches hashlib", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func sha256(text: String, digest: String) {
        var hash = SHA256()
        hash.update(Array(text.utf8).prefix(7))
        hash.update(Array(text.utf8).dropFirst(7))
        #expect(hash.hexDigest() == digest)
    }

    @Test("buffered-copy content is workload.py's, byte for byte")
    func copyContent() {
        func content(seed: Int, file: Int, size: Int, chunk: Int, length: Int? = nil) -> [UInt8] {
            CopyContent.blocks(seed: seed, file: file, size: size, chunk: chunk, length: length).reduce(into: []) { $0 += $1 }
        }
        let bytes = content(seed: 20261127, file: 3, size: 4096, chunk: 64)
        var hash = SHA256()
        hash.update(bytes)
        #expect(hash.hexDigest() == "ab26059f0f7be88b5df12170d8388fcaf5d5c0f1886ed42d4bd45fe86a8107a1")
        #expect(Array(bytes.prefix(16)) == Array("000030000000000\n".utf8))
        var other = SHA256()
        other.update(content(seed: -5, file: 0, size: 1000, chunk: 100))
        #expect(other.hexDigest() == "1330e0740542748b113caea5e27a9e33bca357277f930978f74613aa7e85a4ee")
        // Several blocks, and a prefix that ends inside one.
        let large = content(seed: 1, file: 0, size: 3 << 20, chunk: 4096)
        #expect(large.count == 3 << 20)
        #expect(content(seed: 1, file: 0, size: 3 << 20, chunk: 4096, length: (1 << 20) + 5) == Array(large.prefix((1 << 20) + 5)))
    }

    @Test("the native copy verifies a clean chain and catches a corrupted one", arguments: [false, true])
    func copyVerifier(corrupt: Bool) async throws {
        let folder = TestPaths.scratch()
        let settings = NativeSettings(threads: 2, params: ["file_size": "8K", "chunk_size": "256", "buffer_size": "1K", "dir": folder],
                                      seed: 7, directory: TestPaths.builtinWorkloads + "/buffered-copy")
        let copy = try IndependentCopy(settings)
        try await copy.prepare()
        defer { copy.cleanup() }
        for _ in 0..<3 {
            for thread in 0..<2 { _ = try copy.run(thread: thread, batch: 20) }  // 60 chunks: one pass and more
        }
        if corrupt {  // a byte flipped in thread 1's finished copy
            let work = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
            let path = "\(folder)/\(work)/1-b"
            var bytes = try #require(FileManager.default.contents(atPath: path))
            bytes[300] ^= 0xFF
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        let verdict = try copy.verify()
        #expect(verdict.ok == !corrupt, "\(verdict.detail)")
        #expect((verdict.checksum == verdict.expected) == !corrupt)
        if corrupt { #expect(verdict.detail.contains("thread 1: 1-b (after 1 passes): 8192 bytes where 8192 were expected, first difference at byte 300")) }
    }

    @Test("sizes take K/M/G suffixes and refuse anything else")
    func sizes() throws {
        #expect(try CopyContent.parseSize("s", "4096") == 4096)
        #expect(try CopyContent.parseSize("s", "64K") == 65536)
        #expect(try CopyContent.parseSize("s", "8m") == 8 << 20)
        for bad in ["", "0", "K", "-1", "1.5M", "4KB"] {
            #expect(throws: NativeError.self) { try CopyContent.parseSize("s", bad) }
        }
    }

    @Test("the log parser accepts exactly what the regex accepts", arguments: [
        (#"1.2.3.4 - - [10/Mar/2024:00:00:00 +0000] "GET /a/b?x=1 HTTP/1.1" 200 512 "-" "curl/8""#, "1.2.3.4|/a/b|200|512"),
        (#"1.2.3.4 - bob [10/Mar/2024:00:00:00 +0000] "POST /login HTTP/2.0" 302 - "ref" "ua with spaces""#, "1.2.3.4|/login|302|0"),
        (#"1.2.3.4 - - [x] "GET /a?q HTTP/1.1" 404 12 "" """#, "1.2.3.4|/a|404|12"),
        (#"2001:db8:1:2::3 - - [[x] "GET /a HTTP/1.1" 200 1 "" """#, "2001:db8:1:2::3|/a|200|1"),
        (#"1.2.3.4 - - [10/Mar/2024:00:00:00 +0000] "GET /a HTTP/1.1" 200 512 "-" "curl/8" "#, nil),
        (#"1.2.3.4 - - 10/Mar/2024:00:00:00 +0000 "GET /a HTTP/1.1" 200 512 "-" "curl/8""#, nil),
        (#"1.2.3.4 - - [10/Mar/2024] "get /a HTTP/1.1" 200 512 "-" "curl/8""#, nil),
        (#"1.2.3.4 - - [x] "GET /a HTTP/1.1" 20 512 "-" "curl/8""#, nil),
        ("1.2.3.4\t- - [x] \"GET /a HTTP/1.1\" 200 1 \"\" \"\"", nil),
        (#"1.2.3.4 - - [x] "GET /a"b HTTP/1.1" 200 1 "" """#, nil),
        (#"1.2.3.4 - - [x] "GET /a HTTP/1.1" 200 1 "a"b" """#, nil),
        (#"2001:db8:1:2::3 - - [] "GET /a HTTP/1.1" 200 1 "" """#, nil),
        ("Mar 10 06:25:01 web-1 CRON[123]: (root) CMD (debian-sa1 1 1)", nil),
        ("", nil),
    ] as [(String, String?)])
    func parser(line: String, fields: String?) {
        let bytes = Array(line.utf8)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            LogParser.parse(buffer).map { p in
                "\(String(decoding: bytes[p.ip], as: UTF8.self))|\(String(decoding: bytes[p.path], as: UTF8.self))|\(p.status)|\(p.bytes)"
            }
        }
        #expect(parsed == fields)
    }

    @Test("totals serialise as json.dumps(sort_keys=True) does")
    func canonicalTotals() {
        #expect(LogTotals.quote("a\"b\\c\n\u{7f}é😀\u{1}") == #""a\"b\\c\n\u007f\u00e9\ud83d\ude00\u0001""#)
        var totals = LogTotals(lines: 3, errors: 1, bytes: 10)
        totals.statuses = ["404": 1, "200": 1]
        totals.paths = ["/b": 1, "/a": 1]
        totals.ips = ["9.9.9.9", "10.0.0.1"]
        #expect(totals.canonical() == #"{"bytes":10,"errors":1,"ips":["10.0.0.1","9.9.9.9"],"lines":3,"paths":{"/a":1,"/b":1},"statuses":{"200":1,"404":1}}"#)
    }

    @Test("calibration grows the batch as run.py's next_batch does")
    func calibration() {
        #expect(NativeHarness.nextBatch(1, wallNanoseconds: 1_000, targetNanoseconds: 1e6) == 2)
        #expect(NativeHarness.nextBatch(100, wallNanoseconds: 200_000, targetNanoseconds: 1e6) == 526)
        #expect(NativeHarness.nextBatch(100, wallNanoseconds: 999_999, targetNanoseconds: 1e6) == 106)
    }
}
