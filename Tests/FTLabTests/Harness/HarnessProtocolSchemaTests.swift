import Foundation
import Testing
@testable import FTLabRunner
@testable import FTLabHarness

/// Workloads/_harness/protocol.json defines every runner <-> harness message once: run.py builds
/// its messages from it, and these tests hold the Swift side to it. Each decoder is decoded
/// from a probe that records every key it reads (`DecodingProbe`), so a field decoded here but
/// missing from the file, a field of the file no decoder reads, another type or another
/// optionality fails a test; the messages `ftlab _native` encodes must have the file's fields.
@Suite("Harness protocol schema")
struct HarnessProtocolSchemaTests {
    struct Schema: Decodable {
        var version: Int
        var messages: [String: Entry]
        var objects: [String: Entry]
    }

    struct Entry: Decodable {
        var about: String
        var fields: [Field]
    }

    struct Field: Decodable {
        var name: String
        var type: String
        var required: Bool
        var about: String

        /// As a Swift decoder must read it: decoded when present (`decodeIfPresent`) when the
        /// field may be left out or be null, else always.
        var decoded: DecodedField {
            DecodedField(type: type.hasSuffix("?") ? String(type.dropLast()) : type, required: required && !type.hasSuffix("?"))
        }
    }

    static let path = TestPaths.builtinWorkloads + "/_harness/protocol.json"

    static func schema() throws -> Schema {
        try JSONDecoder().decode(Schema.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The type `HarnessMessage.parse` decodes for each message `type` (and the variant line
    /// `SuiteRunner.variantParts` reads).
    static var messageDecoders: [String: any Decodable.Type] { [
        "hello": HarnessHello.self, "sample": HarnessSample.self, "bye": HarnessBye.self, "error": HarnessFailure.self,
        "variant": HarnessVariantOpening.self, "listening": HarnessListening.self, "usage": HarnessUsage.self,
    ] }
    /// The Swift types of protocol.json's named `objects`.
    static var objectDecoders: [String: any Decodable.Type] { [
        "thread_stats": HarnessThreadStats.self, "request_check": RequestCheck.self,
    ] }

    /// What Swift reads: every message's and every named object's fields.
    static func swiftFields() throws -> [String: [String: DecodedField]] {
        let probe = DecodingProbe(names: Dictionary(uniqueKeysWithValues: objectDecoders.map { (ObjectIdentifier($0.value), $0.key) }))
        var found: [String: [String: DecodedField]] = [:]
        for (type, decoder) in messageDecoders {
            found["message " + type] = try probe.fields(of: decoder)
        }
        for (name, fields) in probe.objects {
            found["object " + name] = fields
        }
        return found
    }

    /// What protocol.json defines, keyed as `swiftFields()`.
    static func schemaFields() throws -> [String: [String: DecodedField]] {
        let schema = try schema()
        var found: [String: [String: DecodedField]] = [:]
        for (kind, entries) in [("message ", schema.messages), ("object ", schema.objects)] {
            for (name, entry) in entries {
                found[kind + name] = Dictionary(uniqueKeysWithValues: entry.fields.map { ($0.name, $0.decoded) })
            }
        }
        return found
    }

    @Test("every message and object of protocol.json has a Swift decoder, and every decoder an entry there")
    func sameMessages() throws {
        let schema = try Self.schema()
        #expect(Set(schema.messages.keys) == Set(Self.messageDecoders.keys))
        #expect(Set(schema.objects.keys) == Set(Self.objectDecoders.keys))
        #expect(schema.version == 1)  // HarnessTranscript accepts protocol 1 only
    }

    @Test("each Swift decoder reads exactly protocol.json's fields, with its types and which may be absent")
    func sameFields() throws {
        let swift = try Self.swiftFields(), schema = try Self.schemaFields()
        for name in Set(swift.keys).union(schema.keys).sorted() {
            let ours = swift[name] ?? [:], theirs = schema[name] ?? [:]
            for field in Set(ours.keys).union(theirs.keys).sorted() where ours[field] != theirs[field] {
                Issue.record("\(name), field \"\(field)\": Swift reads \(ours[field].map(\.description) ?? "nothing"), protocol.json says \(theirs[field].map(\.description) ?? "nothing")")
            }
        }
    }

    @Test("every field type of protocol.json is a scalar, a named object, [T], {T} or T?")
    func wellFormedTypes() throws {
        let schema = try Self.schema()
        func known(_ type: String) -> Bool {
            if type.hasSuffix("?") { return known(String(type.dropLast())) }
            if type.hasPrefix("[") && type.hasSuffix("]") || type.hasPrefix("{") && type.hasSuffix("}") {
                return known(String(type.dropFirst().dropLast()))
            }
            return ["int", "number", "bool", "string"].contains(type) || schema.objects[type] != nil
        }
        for entry in Array(schema.messages.values) + Array(schema.objects.values) {
            for field in entry.fields {
                #expect(known(field.type), "\(field.name): \(field.type)")
                #expect(!field.about.isEmpty, "\(field.name) has no meaning")
            }
            #expect(Set(entry.fields.map(\.name)).count == entry.fields.count)
        }
    }

    @Test("a line built from protocol.json, with every field or only the required ones, parses as its message",
          arguments: ["hello", "sample", "bye", "error", "listening", "usage"])
    func parsesBuiltLine(type: String) throws {
        let schema = try Self.schema()
        for requiredOnly in [false, true] {
            var object: [String: Any] = ["type": type]
            for field in try #require(schema.messages[type]).fields where field.required || !requiredOnly {
                object[field.name] = Self.example(field.type, schema: schema)
            }
            let line = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            let message = try HarnessMessage.parse(line)
            #expect("\(message)".hasPrefix(type + "("), "\(line) parsed as \(message)")
        }
        #expect(HarnessVariantOpening.name(openedBy: #"{"type":"variant","name":"v"}"#) == "v")
    }

    @Test("what ftlab _native sends (the Swift types encoded) has exactly protocol.json's fields",
          arguments: ["hello", "sample", "bye", "error"])
    func encodesSchemaFields(type: String) throws {
        let schema = try Self.schema()
        let fields = try #require(schema.messages[type]).fields
        let object = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, Self.example($0.type, schema: schema)) })
        let line = String(decoding: try JSONSerialization.data(withJSONObject: object.merging(["type": type]) { a, _ in a }), as: UTF8.self)
        let payload: any Encodable
        switch try HarnessMessage.parse(line) {
        case .hello(let hello): payload = hello
        case .sample(let sample): payload = sample
        case .bye(let bye): payload = bye
        case .error(let failure): payload = failure
        case .listening, .usage: Issue.record("\(type) is only decoded"); return
        }
        let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(payload)) as? [String: Any])
        Self.expectSameNames(sent: encoded.keys, defined: fields, in: type)
        for field in fields {
            guard let nested = schema.objects[field.type], let value = encoded[field.name] as? [String: Any] else { continue }
            Self.expectSameNames(sent: value.keys, defined: nested.fields, in: "\(type).\(field.name)")
        }
    }

    static func expectSameNames(sent: some Collection<String>, defined: [Field], in place: String) {
        let sent = Set(sent), defined = Set(defined.map(\.name))
        #expect(sent == defined, "\(place): sent but not in protocol.json \(sent.subtracting(defined).sorted()), in protocol.json but not sent \(defined.subtracting(sent).sorted())")
    }

    /// A value of protocol.json type `type` that every decoder accepts (1 for a port).
    static func example(_ type: String, schema: Schema) -> Any {
        switch type {
        case "int", "number": return 1
        case "bool": return true
        case "string": return "x"
        default: break
        }
        if type.hasSuffix("?") { return NSNull() }
        if type.hasPrefix("[") { return [example(String(type.dropFirst().dropLast()), schema: schema)] }
        if type.hasPrefix("{") { return ["k": example(String(type.dropFirst().dropLast()), schema: schema)] }
        let fields = schema.objects[type]?.fields ?? []
        return Dictionary(uniqueKeysWithValues: fields.map { ($0.name, example($0.type, schema: schema)) })
    }
}

/// How a decoder reads one field: its type in protocol.json's notation and whether it must be
/// present (`decode`) or may be absent or null (`decodeIfPresent`).
struct DecodedField: Equatable, CustomStringConvertible {
    var type: String
    var required: Bool
    var description: String { "\(type) (\(required ? "required" : "may be absent"))" }
}

/// Decodes a `Decodable` type from nothing, recording what it asks for: the keys of an object
/// (and whether through `decodeIfPresent`, which asks `decodeNil` first), a list's element, a
/// map's values (a map asks for `allKeys`). Scalars are answered with zero values, a list with
/// one element, a map with one key.
final class DecodingProbe {
    /// Swift types with a name of their own in protocol.json's `objects`.
    let names: [ObjectIdentifier: String]
    /// The fields of every named object met so far.
    var objects: [String: [String: DecodedField]] = [:]

    init(names: [ObjectIdentifier: String]) {
        self.names = names
    }

    private static let scalars: [ObjectIdentifier: (type: String, zero: any Sendable)] = [
        ObjectIdentifier(Int.self): ("int", 0), ObjectIdentifier(Int64.self): ("int", Int64(0)),
        ObjectIdentifier(UInt32.self): ("int", UInt32(0)), ObjectIdentifier(UInt64.self): ("int", UInt64(0)),
        ObjectIdentifier(Double.self): ("number", 0.0), ObjectIdentifier(Bool.self): ("bool", false),
        ObjectIdentifier(String.self): ("string", ""),
    ]

    /// The fields an object type reads.
    func fields<T: Decodable>(of type: T.Type) throws -> [String: DecodedField] {
        let recorder = Recorder(probe: self)
        _ = try T(from: recorder)
        return recorder.objectFields
    }

    /// A value of `T` and its type in protocol.json's notation.
    func decode<T: Decodable>(_ type: T.Type) throws -> (value: T, type: String) {
        if let scalar = Self.scalars[ObjectIdentifier(T.self)] {
            return (scalar.zero as! T, scalar.type)
        }
        let recorder = Recorder(probe: self)
        let value = try T(from: recorder)
        switch recorder.shape {
        case .list: return (value, "[\(recorder.inner ?? "?")]")
        case .map: return (value, "{\(recorder.inner ?? "?")}")
        case .single: return (value, recorder.inner ?? "?")
        case .object:
            let name = names[ObjectIdentifier(T.self)] ?? "unnamed object \(T.self)"
            objects[name] = recorder.objectFields
            return (value, name)
        }
    }

    enum Shape { case object, map, list, single }

    final class Recorder: Decoder {
        let probe: DecodingProbe
        var shape = Shape.single
        var fields: [String: String] = [:]
        var optional: Set<String> = []
        /// A list's element type, a map's value type, a single value's type.
        var inner: String?
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(probe: DecodingProbe) {
            self.probe = probe
        }

        var objectFields: [String: DecodedField] {
            fields.reduce(into: [:]) { result, field in
                result[field.key] = DecodedField(type: field.value, required: !optional.contains(field.key))
            }
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedDecodingContainer<Key> {
            shape = .object
            return KeyedDecodingContainer(Keyed<Key>(recorder: self))
        }

        func unkeyedContainer() -> any UnkeyedDecodingContainer {
            shape = .list
            return Unkeyed(recorder: self)
        }

        func singleValueContainer() -> any SingleValueDecodingContainer {
            shape = .single
            return Single(recorder: self)
        }

        /// Records what was read under `key` (nil: the one element or value) and returns it.
        func read<T: Decodable>(_ type: T.Type, key: String?) throws -> T {
            let (value, name) = try probe.decode(T.self)
            if let key, shape == .object { fields[key] = name } else { inner = name }
            return value
        }
    }

    /// A type the probe does not answer (it answers what the protocol uses).
    struct Unsupported: Error, CustomStringConvertible {
        var description: String { "the probe answers Int, Int64, UInt32, UInt64, Double, Bool, String, lists, maps and objects" }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        /// Only a map asks which keys there are: answer one.
        var allKeys: [Key] {
            recorder.shape = .map
            return Key(stringValue: "*").map { [$0] } ?? []
        }

        func contains(_ key: Key) -> Bool { true }
        /// Asked by `decodeIfPresent` before it decodes: the field may be absent.
        func decodeNil(forKey key: Key) throws -> Bool {
            recorder.optional.insert(key.stringValue)
            return false
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try recorder.read(T.self, key: key.stringValue) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try recorder.read(type, key: key.stringValue) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try recorder.read(type, key: key.stringValue) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try recorder.read(type, key: key.stringValue) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw Unsupported() }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try recorder.read(type, key: key.stringValue) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { throw Unsupported() }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { throw Unsupported() }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { throw Unsupported() }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try recorder.read(type, key: key.stringValue) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { throw Unsupported() }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { throw Unsupported() }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { throw Unsupported() }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try recorder.read(type, key: key.stringValue) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try recorder.read(type, key: key.stringValue) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> { throw Unsupported() }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw Unsupported() }
        func superDecoder() throws -> any Decoder { throw Unsupported() }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw Unsupported() }
    }

    /// A list of one element.
    struct Unkeyed: UnkeyedDecodingContainer {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 1 }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex >= 1 }

        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }
        mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
            currentIndex += 1
            return try recorder.read(T.self, key: nil)
        }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
        mutating func decode(_ type: String.Type) throws -> String { try next(type) }
        mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
        mutating func decode(_ type: Float.Type) throws -> Float { throw Unsupported() }
        mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { throw Unsupported() }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { throw Unsupported() }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { throw Unsupported() }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { throw Unsupported() }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { throw Unsupported() }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { throw Unsupported() }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> { throw Unsupported() }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { throw Unsupported() }
        mutating func superDecoder() throws -> any Decoder { throw Unsupported() }
    }

    struct Single: SingleValueDecodingContainer {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try recorder.read(T.self, key: nil) }
        func decode(_ type: Bool.Type) throws -> Bool { try recorder.read(type, key: nil) }
        func decode(_ type: String.Type) throws -> String { try recorder.read(type, key: nil) }
        func decode(_ type: Double.Type) throws -> Double { try recorder.read(type, key: nil) }
        func decode(_ type: Float.Type) throws -> Float { throw Unsupported() }
        func decode(_ type: Int.Type) throws -> Int { try recorder.read(type, key: nil) }
        func decode(_ type: Int8.Type) throws -> Int8 { throw Unsupported() }
        func decode(_ type: Int16.Type) throws -> Int16 { throw Unsupported() }
        func decode(_ type: Int32.Type) throws -> Int32 { throw Unsupported() }
        func decode(_ type: Int64.Type) throws -> Int64 { try recorder.read(type, key: nil) }
        func decode(_ type: UInt.Type) throws -> UInt { throw Unsupported() }
        func decode(_ type: UInt8.Type) throws -> UInt8 { throw Unsupported() }
        func decode(_ type: UInt16.Type) throws -> UInt16 { throw Unsupported() }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try recorder.read(type, key: nil) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try recorder.read(type, key: nil) }
    }
}
