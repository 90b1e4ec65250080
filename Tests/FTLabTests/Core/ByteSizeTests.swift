import Testing
import FTLabCore

@Suite struct ByteSizeTests {
    @Test func sizes() {
        #expect(ByteSize.parse("4096") == 4096)
        #expect(ByteSize.parse("64K") == 64 << 10)
        #expect(ByteSize.parse("8m") == 8 << 20)
        #expect(ByteSize.parse("2G") == 2 << 30)
        #expect(ByteSize.parse("1T") == 1 << 40)
        #expect(ByteSize.parse("1T", suffixes: "KMG") == nil)
        for bad in ["", "K", "1.5G", "-1", " 1", "1X", "99999999999999999999", "17179869184G"] {
            #expect(ByteSize.parse(bad) == nil, "\(bad)")
        }
    }
}
