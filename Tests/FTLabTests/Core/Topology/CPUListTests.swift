import Testing
import FTLabCore
import FTLabRunner

@Suite struct CPUListTests {
    @Test(arguments: [
        ("0-3,8,10-11", [0, 1, 2, 3, 8, 10, 11]),
        ("5", [5]),
        ("1,0", [1, 0]),
        ("8-9,0", [8, 9, 0]),
        ("0-0", [0]),
    ])
    func parsesInWrittenOrder(text: String, cpus: [Int]) throws {
        #expect(try CPUList.parse(text) == cpus)
    }

    @Test(arguments: [
        ([0, 1, 2, 3, 8, 10, 11], "0-3,8,10-11"),
        ([1, 0], "1,0"),
        ([7], "7"),
        ([], ""),
        ([0, 1, 16, 17], "0-1,16-17"),
    ])
    func formatsRunsAsRanges(cpus: [Int], text: String) {
        #expect(CPUList.format(cpus) == text)
    }

    @Test(arguments: [
        ("", CPUListError.empty),
        ("0-", .badSyntax(list: "0-", item: "0-")),
        ("a", .badSyntax(list: "a", item: "a")),
        ("1,,2", .badSyntax(list: "1,,2", item: "")),
        ("+1", .badSyntax(list: "+1", item: "+1")),
        (" 1", .badSyntax(list: " 1", item: " 1")),
        ("1-2-3", .badSyntax(list: "1-2-3", item: "1-2-3")),
        ("3-1", .descendingRange(list: "3-1", range: "3-1")),
        ("1,1", .duplicate(list: "1,1", cpu: 1)),
        ("0-2,1", .duplicate(list: "0-2,1", cpu: 1)),
        ("70000", .tooLarge(list: "70000", cpu: 70000)),
    ])
    func rejectsMalformedLists(text: String, error: CPUListError) {
        #expect(throws: error) { try CPUList.parse(text) }
    }

    @Test func errorsQuoteTheListAndExitTwo() {
        let error = CPUListError.descendingRange(list: "0,3-1", range: "3-1")
        #expect(error.description == "bad CPU list \"0,3-1\": range 3-1 descends; write it low-high")
        #expect(error.exitCode == 2)
        #expect(CPUListError.empty.description.contains("e.g. 0-3,8,10-11"))
    }
}
