import Testing
import FTLabRunner
import FTLabHarness
import FTLabLoadGen

/// The load generator against the in-process canned server over real loopback sockets.
/// Tiny durations; no timing assertions.
@Suite("Load generator", .serialized)
struct LoadGeneratorTests {
    @Test("closed loop over keep-alive: many requests, one connection each, verified bodies, percentiles")
    func keepAlive() throws {
        let server = try CannedServer()
        defer { server.stop() }
        let load = try LoadGenerator(port: server.port, mix: server.mix, options: LoadOptions(connections: 3, verifyEvery: 1))
        let first = try load.sample(seconds: 0.1)
        let second = try load.sample(seconds: 0.1)
        load.close()
        for sample in [first, second] {
            #expect(sample.errors.total == 0, "\(sample.errors.summary)")
            #expect(sample.responses > 3 && sample.wallSeconds >= 0.1)
            let p50 = try #require(sample.latencyMicroseconds(50))
            let p999 = try #require(sample.latencyMicroseconds(99.9))
            #expect(p50 > 0 && p999 >= p50)
            #expect(sample.clientCPUSeconds > 0)
        }
        #expect(server.accepted == 3, "the connections were kept alive across requests and samples")
        #expect(load.responses == first.responses + second.responses)
        #expect(server.served == load.responses && load.abandoned == 0)
    }

    @Test("a wrong status, body length or CRC-32 is counted and the first is described by the part that differed")
    func wrongAnswers() throws {
        let server = try CannedServer()
        defer { server.stop() }
        var mix = server.mix
        mix[0].crc32 = mix[0].crc32.map { $0 ^ 1 }
        let badCRC = try LoadGenerator(port: server.port, mix: mix, options: LoadOptions(connections: 1, verifyEvery: 1))
        let crcSample = try badCRC.sample(seconds: 0.05)
        badCRC.close()
        #expect(crcSample.errors.badBody == crcSample.responses && crcSample.responses > 0)
        #expect(crcSample.firstWrong?.hasPrefix("GET /: body CRC-32 ") == true, "\(crcSample.firstWrong ?? "")")
        mix = server.mix
        mix[0].status = 201
        let badStatus = try LoadGenerator(port: server.port, mix: mix, options: LoadOptions(connections: 1))
        let statusSample = try badStatus.sample(seconds: 0.05)
        badStatus.close()
        #expect(statusSample.errors.badStatus == statusSample.responses && statusSample.errors.badBody == 0)
        #expect(statusSample.firstWrong == "GET /: status 200, expected 201")
        mix = server.mix
        mix[0].length = (mix[0].length ?? 0) + 1
        let badLength = try LoadGenerator(port: server.port, mix: mix, options: LoadOptions(connections: 1))
        let lengthSample = try badLength.sample(seconds: 0.05)
        badLength.close()
        #expect(lengthSample.errors.badBody == lengthSample.responses && lengthSample.responses > 0)
        #expect(lengthSample.firstWrong == "GET /: body length \(server.body.count) bytes, expected \(server.body.count + 1)")
        // A line that checks the status only: any body passes.
        mix = [RequestCheck(target: "/", status: 200, length: nil, crc32: nil)]
        let statusOnly = try LoadGenerator(port: server.port, mix: mix, options: LoadOptions(connections: 1, verifyEvery: 1))
        let anyBody = try statusOnly.sample(seconds: 0.05)
        statusOnly.close()
        #expect(anyBody.responses > 0 && anyBody.errors.total == 0 && mix[0].statusOnly)
    }

    @Test("nobody listening: connect errors are counted, the sample ends on time")
    func refused() throws {
        let server = try CannedServer()
        let port = server.port
        server.stop()
        let load = try LoadGenerator(port: port, mix: server.mix, options: LoadOptions(connections: 2))
        let sample = try load.sample(seconds: 0.05)
        load.close()
        #expect(sample.responses == 0 && sample.errors.connect > 0)
        #expect(sample.latencyMicroseconds(50) == nil)
    }

    @Test("open loop at a fixed rate sends about that many requests")
    func openLoop() throws {
        let server = try CannedServer()
        defer { server.stop() }
        let load = try LoadGenerator(port: server.port, mix: server.mix, options: LoadOptions(connections: 2, rate: 200))
        let sample = try load.sample(seconds: 0.2)
        load.close()
        #expect(sample.errors.total == 0)
        #expect((10...41).contains(sample.responses), "200/s for 0.2 s: at most 40 intended sends, got \(sample.responses)")
    }

    @Test("load parameters: defaults, closed loop at rate 0, bad values exit 2")
    func options() throws {
        #expect(try LoadOptions.parse(params: [:]) == LoadOptions())
        let parsed = try LoadOptions.parse(params: ["connections": "16", "rate": "0", "products": "10"])
        #expect(parsed.connections == 16 && parsed.rate == nil)
        #expect(try LoadOptions.parse(params: ["rate": "2500"]).rate == 2500)
        #expect(throws: LoadGenError.badParameter(name: "connections", value: "0", expected: "an integer from 1 to 4096")) {
            try LoadOptions.parse(params: ["connections": "0"])
        }
        #expect((try? LoadOptions.parse(params: ["rate": "fast"])) == nil)
        #expect(LoadGenError.badParameter(name: "rate", value: "x", expected: "").exitCode == 2)
        #expect(LoadOptions(connections: 8, clientCPUs: [1]).threads == 1)
        #expect(LoadOptions(connections: 1, clientCPUs: [2, 3]).threads == 1)
    }

    @Test("wrk's report is read: requests/s, socket errors and non-2xx answers")
    func wrkReport() {
        let report = """
            Running 2s test @ http://127.0.0.1:41583/
              1 threads and 8 connections
              19883 requests in 2.00s, 1.23MB read
              Socket errors: connect 0, read 1, write 0, timeout 2
              Non-2xx or 3xx responses: 5
            Requests/sec:   9883.12
            Transfer/sec:    615.22KB
            """
        #expect(ClientCapacity.requestsPerSecond(wrkOutput: report) == 9883.12)
        #expect(ClientCapacity.errors(wrkOutput: report) == 8)
        #expect(ClientCapacity.requestsPerSecond(wrkOutput: "nothing") == nil)
    }
}
