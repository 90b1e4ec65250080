import Foundation
import Testing
@testable import FTLabRunner
@testable import FTLabHarness

/// The check that keeps the TOML the parser traps on away from it (TOMLPrecheck).
@Suite struct TOMLPrecheckTests {
    static let manifest = """
        name = "w"
        description = "d"
        question = "q"
        unit = "ops"

        [[variants]]
        name = "v"
        question = "q"

        """

    @Test("a header with no key after its brackets is refused with its line, before the parser sees it",
          arguments: ["[!]", "[[=x]]", "[", "[[", "[ \t]", "[[ ]]", "[\r", "[#]", "[.a]", "[\u{FFFD}[variants]]"])
    func namelessHeader(header: String) {
        let text = Self.manifest + header + "\nname = \"x\"\n"
        #expect(TOMLPrecheck.check(text) == .namelessHeader(line: 9))
        #expect(throws: WorkloadError.badManifest(
            path: "m.toml:9", reason: "a table header without a name (`[` or `[[` must be followed by a key)")) {
            try WorkloadManifest.parse(text, path: "m.toml")
        }
    }

    @Test("a bare value that is no TOML value is refused with its line",
          arguments: ["1979-05-27T:32:00Z", "1979-05-27T\u{FFFD}:32:00Z", "1979-05-27 07:32", "07:32", "01", "1_", "0x", "0x_1",
                      "1e", "1.", ".5", "+0x1", "0X1", "1979-05-27T07:32:00+7", "1979-05-27T07:32:00.Z", "x", "=", "1=2", "tru"])
    func badValue(value: String) {
        let text = Self.manifest + "extra = " + value + "\n"
        #expect(TOMLPrecheck.check(text) == .badValue(line: 9, value: value))
        #expect(throws: WorkloadError.self) { try WorkloadManifest.parse(text, path: "m.toml") }
    }

    @Test("every TOML 1.0 bare value passes, alone, in arrays and in inline tables",
          arguments: ["true", "false", "0", "+1", "-17", "1_000", "0xDEAD_beef", "0o755", "0b1101", "inf", "-inf", "+nan",
                      "3.14", "-0.0", "6.626e-34", "1E+5", "224_617.445_991_228", "1979-05-27", "07:32:00", "00:32:00.999999",
                      "1979-05-27T07:32:00", "1979-05-27 07:32:00Z", "1979-05-27t07:32:00.5z", "1979-05-27T00:32:00-07:00"])
    func validValue(value: String) throws {
        for line in ["extra = \(value)", "extra = [\(value), \(value)]", "extra = { a = \(value), b = [\(value)] }",
                     "extra = [\n  \(value), # [!]\n  [\(value)],\n]"] {
            let text = Self.manifest + line + "\n"
            #expect(TOMLPrecheck.check(text) == nil, "\(line)")
            #expect(try WorkloadManifest.parse(text, path: "m.toml").name == "w", "\(line)")
        }
    }

    @Test("valid TOML passes: quoted and dotted headers, and `[` or bare words starting lines inside values, strings and comments")
    func validTOML() throws {
        let text = "\u{FEFF}" + Self.manifest + #"""
            [ "tables" . x ]
            1979-05-27 = "a key, not a value"
            -x.y = 1
            "q=[!]" = 'x'
            [[ 'params' ]]
            name = "p"
            default = "d"
            description = "d"
            [_a-b1]
            nested = [
              [
                1, 2,
              ],
              [+3], [{ a = 1 }],
            ]
            text = """
            [!]
            \"""
            [
            x = 1979-05-27T:00
            """
            literal = '''
            [=]'''
            one = "[#]" # [!]
            # [!]
            tables = [
            { a = "]" },
            ]
            """#
        #expect(TOMLPrecheck.check(text) == nil)
        #expect(try WorkloadManifest.parse(text, path: "m.toml").params.map(\.name) == ["p"])
        #expect(TOMLPrecheck.check(text + "\n[!]\n")?.line == text.split(separator: "\n", omittingEmptySubsequences: false).count + 1)
    }

    @Test("every workload manifest in the repository passes")
    func repositoryManifests() throws {
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads)
        #expect(!catalog.workloads.isEmpty)
        for workload in catalog.workloads {
            let text = try String(contentsOfFile: workload.directory + "/workload.toml", encoding: .utf8)
            #expect(TOMLPrecheck.check(text) == nil, "\(workload.directory)")
        }
    }
}
