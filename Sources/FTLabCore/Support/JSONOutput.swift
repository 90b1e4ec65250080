import Foundation

/// JSON as ftlab prints it for `--format json`: one object per document whose `schema` field
/// names what it is and its version (`ftlab.plan/1`), keys in snake_case, pretty and
/// sorted so output is stable across runs, booleans as JSON booleans and non-finite numbers as
/// the strings `inf`, `-inf` and `nan`.
public enum JSONOutput {
    /// The `schema` value of a document: `ftlab.KIND/VERSION`. A version goes up only when a
    /// field changes meaning or goes away; new fields keep the version.
    public static func schema(_ kind: String, version: Int = 1) -> String { "ftlab.\(kind)/\(version)" }

    /// `body`, an object (a struct, or a dictionary with string keys), with `schema` added.
    public static func document<Body: Encodable>(_ kind: String, version: Int = 1, _ body: Body) throws -> String {
        try string(Document(schema: schema(kind, version: version), body: body))
    }

    /// `value` as JSON under ftlab's conventions, without a `schema` field (for a document's parts).
    public static func string<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// The encoder behind ``document(_:version:_:)``.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// `schema`, then the body's own fields in the same object.
    private struct Document<Body: Encodable>: Encodable {
        var schema: String
        var body: Body

        enum Key: String, CodingKey { case schema }

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(schema, forKey: .schema)
            try body.encode(to: encoder)
        }
    }
}
