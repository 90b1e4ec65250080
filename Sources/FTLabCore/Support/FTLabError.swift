/// An error ftlab reports to the user: its description names the bad value and what would be
/// accepted; `exitCode` follows the CLI contract (2 bad input, 1 a found regression).
public protocol FTLabError: Error, CustomStringConvertible {
    var exitCode: Int32 { get }
}

extension FTLabError {
    public var exitCode: Int32 { 2 }
}
