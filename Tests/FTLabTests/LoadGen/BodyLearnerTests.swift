import Foundation
import Testing
import FTLabRunner
import FTLabHarness
import FTLabLoadGen

/// Learning the expected bodies of a user's app before the load, against the in-process canned
/// server over real loopback sockets.
@Suite("Body learner", .serialized)
struct BodyLearnerTests {
    @Test("a learn entry gets the body two identical requests got; other entries are left alone")
    func learns() throws {
        let server = try CannedServer(body: Array("learned body".utf8))
        defer { server.stop() }
        let fixed = RequestCheck(target: "/fixed", status: 200, length: 3, crc32: 7)
        let mix = [fixed, RequestCheck(target: "/", status: 200, length: nil, crc32: nil, learn: true),
                   RequestCheck(target: "/any", status: 200, length: nil, crc32: nil)]
        let learned = try BodyLearner.learn(mix, port: server.port, timeout: 5)
        #expect(learned.mix[0] == fixed)
        #expect(learned.mix[1] == RequestCheck(target: "/", status: 200, length: server.body.count, crc32: CRC32.checksum(server.body)))
        #expect(learned.mix[2].statusOnly)
        // The server counts a response once its send returned, which may be after the client read it.
        let deadline = ContinuousClock.now + .seconds(5)
        while server.served < 2 && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.001) }
        #expect(learned.responses == 2 && server.served == 2, "two requests per learned entry, counted as served")
        // What was learned then holds under load.
        let load = try LoadGenerator(port: server.port, mix: [learned.mix[1]], options: LoadOptions(connections: 2, verifyEvery: 1))
        let sample = try load.sample(seconds: 0.05)
        load.close()
        #expect(sample.responses > 0 && sample.errors.total == 0, "\(sample.errors.summary)")
    }

    @Test("nothing to learn: no request is sent")
    func nothingToLearn() throws {
        let server = try CannedServer()
        defer { server.stop() }
        let learned = try BodyLearner.learn(server.mix, port: server.port, timeout: 5)
        #expect(learned.mix == server.mix && learned.responses == 0 && server.accepted == 0)
    }

    @Test("another status, a body that varies, a CRC-32 that does not match, nobody listening: each says which part")
    func failures() throws {
        let server = try CannedServer()
        defer { server.stop() }
        let status = RequestCheck(target: "/s", status: 201, length: nil, crc32: nil, learn: true)
        #expect(throws: LoadGenError.learningFailed("GET /s: status 200, expected 201")) {
            try BodyLearner.learn([status], port: server.port, timeout: 5)
        }
        let crc = CRC32.checksum(server.body)
        let given = RequestCheck(target: "/c", status: 200, length: nil, crc32: crc ^ 1, learn: true)
        #expect(throws: LoadGenError.learningFailed("GET /c: body CRC-32 \(crc), expected \(crc ^ 1) (\(server.body.count) bytes)")) {
            try BodyLearner.learn([given], port: server.port, timeout: 5)
        }
        let varying = try CannedServer(body: Array("n".utf8), numbered: true)
        defer { varying.stop() }
        do {
            _ = try BodyLearner.learn([RequestCheck(target: "/t", status: 200, length: nil, crc32: nil, learn: true)],
                                      port: varying.port, timeout: 5)
            Issue.record("a body that changes with every request was learned")
        } catch {
            #expect(error.description.contains("GET /t: two identical requests got different bodies"), "\(error)")
            #expect(error.description.contains("status-only"), "the way out is named: \(error)")
        }
        let closed = try CannedServer()
        let port = closed.port
        closed.stop()
        #expect(throws: LoadGenError.learningFailed("GET /s: cannot connect to 127.0.0.1:\(port)")) {
            try BodyLearner.learn([RequestCheck(target: "/s", status: 200, length: nil, crc32: nil, learn: true)], port: port, timeout: 1)
        }
    }

    @Test("the listening message: `learn` and a null length are read; an old message without them still is")
    func decoding() throws {
        let line = #"{"type":"listening","host":"127.0.0.1","port":4242,"requests":["#
            + #"{"target":"/a","status":200,"length":null,"crc32":null,"learn":true},"#
            + #"{"target":"/b","status":418,"length":null,"crc32":null},"#
            + #"{"target":"/c","status":200,"length":3,"crc32":7}]}"#
        guard case .listening(let listening) = try HarnessMessage.parse(line) else {
            Issue.record("not a listening message")
            return
        }
        #expect(listening.requests == [RequestCheck(target: "/a", status: 200, length: nil, crc32: nil, learn: true),
                                       RequestCheck(target: "/b", status: 418, length: nil, crc32: nil),
                                       RequestCheck(target: "/c", status: 200, length: 3, crc32: 7)])
        #expect(listening.requests[1].statusOnly && !listening.requests[0].statusOnly && !listening.requests[2].statusOnly)
    }
}
