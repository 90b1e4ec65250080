/// Sizes as users write them: digits with an optional K, M, G or T suffix (powers of 1024,
/// either case), as buffered-copy's `parse_size` reads them.
public enum ByteSize {
    /// The bytes `text` names, nil when it is not digits with an allowed suffix or does not fit
    /// in 64 bits. `suffixes` limits the units accepted.
    public static func parse(_ text: String, suffixes: String = "KMGT") -> UInt64? {
        let factors: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        var digits = Substring(text)
        var factor: UInt64 = 1
        if let last = text.last.map({ Character($0.uppercased()) }), let unit = factors[last] {
            guard suffixes.contains(last) else { return nil }
            factor = unit
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt64(digits) else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : bytes
    }
}
