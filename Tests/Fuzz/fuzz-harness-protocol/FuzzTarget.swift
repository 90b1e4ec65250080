import FTLabFuzzEntries

/// The input callback libFuzzer calls: `FuzzEntry.harnessProtocol`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntry.harnessProtocol.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// Under libFuzzer (Tests/Fuzz/run-fuzzers.sh): fuzzes; a plain build replays the files named.
@main enum FuzzTarget {
    static func main() { FuzzMain.run(.harnessProtocol) { fuzz($0, $1) } }
}
