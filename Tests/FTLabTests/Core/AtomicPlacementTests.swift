import Foundation
import Testing
import FTLabCore

@Suite("Putting finished builds in place")
struct AtomicPlacementTests {
    @Test("a finished folder replaces the old one whole; a file is replaced in one rename")
    func replaces() throws {
        let root = TestPaths.scratch("placement")
        let fm = FileManager.default
        for (folder, file) in [("old", "a"), ("new", "b")] {
            try fm.createDirectory(atPath: "\(root)/\(folder)", withIntermediateDirectories: true)
            try "\(folder)".write(toFile: "\(root)/\(folder)/\(file)", atomically: true, encoding: .utf8)
        }
        try AtomicPlacement.move("\(root)/new", to: "\(root)/old", aside: "\(root)/aside")
        #expect(try fm.contentsOfDirectory(atPath: "\(root)/old") == ["b"])
        #expect(!fm.fileExists(atPath: "\(root)/new") && !fm.fileExists(atPath: "\(root)/aside"))

        try AtomicPlacement.write(Data("one".utf8), to: "\(root)/file")
        try AtomicPlacement.write(Data("two".utf8), to: "\(root)/file")
        #expect(try String(contentsOfFile: "\(root)/file", encoding: .utf8) == "two")
        try "three".write(toFile: "\(root)/file.part", atomically: true, encoding: .utf8)
        try AtomicPlacement.move("\(root)/file.part", to: "\(root)/file")
        #expect(try String(contentsOfFile: "\(root)/file", encoding: .utf8) == "three")
        #expect(throws: AtomicPlacement.Failure.self) {
            try AtomicPlacement.move("\(root)/missing", to: "\(root)/file")
        }
    }
}
