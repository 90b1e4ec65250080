import FTLabFuzzEntries

/// The input callback libFuzzer calls: the entry the first argument chose (`FuzzMain.selected`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzMain.selected.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// `ftlab-fuzz ENTRY ...`: under libFuzzer (Tests/Fuzz/run-fuzzers.sh) fuzzes; a plain build
/// replays the files named.
@main enum FuzzTarget {
    static func main() { FuzzMain.run { fuzz($0, $1) } }
}
