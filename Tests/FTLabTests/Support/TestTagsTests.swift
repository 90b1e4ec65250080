import Foundation
import Testing
import FTLabRunner

/// The tests' own bookkeeping: every `@Suite` or `@Test` that is tagged also carries
/// `.skippedInUnitRuns`, so `make test-unit` really runs the untagged tests only.
@Suite("Test tags")
struct TestTagsTests {
    /// Each `@Suite`/`@Test` attribute in the test sources, from its `@` to the declaration it
    /// is attached to, with the file and line it starts on.
    static func attributes() throws -> [(place: String, text: String)] {
        let folder = TestPaths.repository + "/Tests/FTLabTests"
        let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".swift") }.sorted()
        let attribute = #/@(Suite|Test)\b/#
        let declaration = #/\b(func\s+\w+\s*\(|(struct|enum|class|actor)\s+\w+)/#
        var found: [(place: String, text: String)] = []
        for file in files {
            let lines = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            var index = 0
            while index < lines.count {
                let line = lines[index]
                guard !line.drop(while: \.isWhitespace).hasPrefix("//"), let start = line.firstRange(of: attribute) else {
                    index += 1
                    continue
                }
                var text = String(line[start.lowerBound...])
                var end = index
                while text.firstMatch(of: declaration) == nil && end + 1 < lines.count {
                    end += 1
                    text += "\n" + lines[end]
                }
                found.append(("\(file):\(index + 1)", text))
                index = end + 1
            }
        }
        return found
    }

    @Test("every tagged suite or test is skipped in a unit run")
    func taggedMeansSkippedInUnitRuns() throws {
        let attributes = try Self.attributes()
        let tagged = attributes.filter { $0.text.contains(".tags(") }
        #expect(attributes.count > 250 && tagged.count > 30, "the scan found \(attributes.count) attributes, \(tagged.count) tagged")
        for (place, text) in tagged {
            #expect(text.contains(".skippedInUnitRuns"), "\(place): tagged without .skippedInUnitRuns")
        }
    }
}
