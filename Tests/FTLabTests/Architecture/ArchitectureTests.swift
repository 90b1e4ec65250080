import Foundation
import Testing
import FTLabRunner

/// The layering Package.swift declares, checked in the sources: every `import` of an ftlab
/// module points down, and only the process layer spawns processes.
@Suite struct ArchitectureTests {
    /// Each library target and the ftlab modules it may import (bottom to top).
    static let allowed: [String: Set<String>] = [
        "FTLabCore": [],
        "FTLabHarness": ["FTLabCore"],
        "FTLabLoadGen": ["FTLabCore", "FTLabHarness"],
        "FTLabNative": ["FTLabCore", "FTLabHarness"],
        "FTLabInterpreters": ["FTLabCore", "FTLabHarness", "FTLabNative"],
        "FTLabRunner": ["FTLabCore", "FTLabHarness", "FTLabLoadGen", "FTLabNative", "FTLabInterpreters"],
        "FTLabAnalysis": ["FTLabCore"],
        "FTLabExplain": ["FTLabCore", "FTLabHarness", "FTLabInterpreters", "FTLabRunner", "FTLabAnalysis"],
        "FTLabBuilds": ["FTLabCore", "FTLabHarness", "FTLabInterpreters", "FTLabRunner"],
        "ftlab": ["FTLabCore", "FTLabHarness", "FTLabNative", "FTLabInterpreters", "FTLabRunner",
                  "FTLabAnalysis", "FTLabExplain", "FTLabBuilds"],
    ]

    /// The Swift files under `Sources/<target>`, with their text.
    static func sources(_ target: String) -> [(path: String, text: String)] {
        let root = TestPaths.repository + "/Sources/" + target
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".swift") }.sorted().compactMap { file in
            (try? String(contentsOfFile: root + "/" + file, encoding: .utf8)).map { (target + "/" + file, $0) }
        }
    }

    /// The ftlab modules a file imports (`import FTLabX`, `@testable import` too).
    static func ftlabImports(_ text: String) -> Set<String> {
        Set(text.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { return nil }
            let module = String(words[index + 1])
            return module.hasPrefix("FTLab") || module == "ftlab" ? module : nil
        })
    }

    @Test("every import of an ftlab module points to a lower layer", arguments: allowed.keys.sorted())
    func importsPointDown(target: String) throws {
        let files = Self.sources(target)
        #expect(!files.isEmpty, "Sources/\(target) has no Swift files")
        for (path, text) in files {
            let upward = Self.ftlabImports(text).subtracting(Self.allowed[target]!)
            #expect(upward.isEmpty, "\(path) imports \(upward.sorted()), above or beside \(target)")
        }
    }

    @Test("the layer table matches the targets under Sources")
    func everyTargetIsInTheTable() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: TestPaths.repository + "/Sources")
            .filter { $0 != "CNuma" && !$0.hasSuffix(".md") }
        #expect(Set(folders) == Set(Self.allowed.keys))
    }

    @Test("only the process layer (FTLabCore/Processes) spawns: no Foundation Process, no direct swift-subprocess")
    func oneProcessLayer() {
        for target in Self.allowed.keys.sorted() {
            for (path, text) in Self.sources(target) where !path.hasPrefix("FTLabCore/Processes/") {
                #expect(!text.contains("Process()"), "\(path) starts a Foundation Process")
                #expect(!text.contains("import Subprocess"), "\(path) spawns through swift-subprocess directly")
            }
        }
    }

    @Test("every public error type is an FTLabError: one way to report it, one exit-code contract")
    func publicErrorsAreFTLabErrors() throws {
        let declaration = try Regex(#"public (?:enum|struct|final class) (\w+)\s*:\s*([^{]+)\{"#)
        var checked = 0
        for target in Self.allowed.keys.sorted() where target != "ftlab" {
            for (path, text) in Self.sources(target) {
                for match in text.matches(of: declaration) {
                    guard let name = match.output[1].substring, let conformances = match.output[2].substring else { continue }
                    let list = conformances.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard list.contains("Error") || list.contains("FTLabError") || name.hasSuffix("Error") else { continue }
                    checked += 1
                    #expect(list.contains("FTLabError"), "\(path): \(name) is an error but not an FTLabError")
                }
            }
        }
        #expect(checked > 20, "the scanner found \(checked) public error types")
    }

    @Test("the import scanner sees plain and @testable imports")
    func scannerReadsImports() {
        #expect(Self.ftlabImports("import Foundation\n@testable import FTLabRunner\nimport FTLabCore\n")
                == ["FTLabRunner", "FTLabCore"])
    }
}
