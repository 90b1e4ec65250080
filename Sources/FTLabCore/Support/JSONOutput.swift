import Foundation

/// JSON as ftlab prints it for `--json`: pretty, keys sorted, so output is stable across runs.
public enum JSONOutput {
    public static func string<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
