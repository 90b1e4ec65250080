import Foundation
import Testing
@testable import FTLabHarness
@testable import FTLabRunner

/// One way to read TOML for every file ftlab reads: the precheck, the parser, the line.
@Suite struct TOMLDocumentTests {
    struct Doc: Decodable { var name: String }

    @Test("text the parser would trap on is refused by the precheck, with its line")
    func precheckFirst() {
        do { _ = try TOMLDocument.decode(Doc.self, from: "name = \"x\"\n[!]\n"); Issue.record("no problem found") } catch {
            #expect(error.line == 2 && error.decoding == nil)
            #expect(error.location("f.toml") == "f.toml:2")
        }
    }

    @Test("a parse error keeps the parser's line; a missing key is a decoding error without one")
    func parseAndDecodeErrors() {
        do { _ = try TOMLDocument.decode(Doc.self, from: "\n\nname = \n"); Issue.record("no problem found") } catch {
            #expect(error.line == 3, "\(error.reason)")
        }
        do { _ = try TOMLDocument.decode(Doc.self, from: "other = 1\n"); Issue.record("no problem found") } catch {
            #expect(error.line == nil && error.decoding != nil)
            #expect(error.location("f.toml") == "f.toml")
        }
        #expect((try? TOMLDocument.decode(Doc.self, from: "name = \"ok\"\n"))?.name == "ok")
    }

    @Test("a project's malformed pyproject.toml is bad input naming its line, not a trap")
    func malformedPyproject() throws {
        let folder = TestPaths.scratch() + "/proj"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "[project]\nname = \"p\"\n[\n".write(toFile: folder + "/pyproject.toml", atomically: true, encoding: .utf8)
        #expect {
            _ = try ProjectSource.read(folder: folder, name: nil, extras: nil, requirementsFiles: [])
        } throws: { error in
            "\(error)".contains("pyproject.toml:3")
        }
    }
}
