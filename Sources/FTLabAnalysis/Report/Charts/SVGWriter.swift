import Foundation

/// Writes SVG markup element by element; every attribute value and text is escaped.
package struct SVGWriter {
    package private(set) var markup = ""

    package mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        markup += "<\(name)\(Self.attributes(attributes))>"
    }

    package mutating func close(_ name: String) {
        markup += "</\(name)>"
    }

    /// An element with no content: `<line .../>`.
    package mutating func leaf(_ name: String, _ attributes: [(String, String)]) {
        markup += "<\(name)\(Self.attributes(attributes))/>"
    }

    /// An element holding only text: `<text ...>label</text>`.
    package mutating func text(_ name: String, _ attributes: [(String, String)], _ content: String) {
        markup += "<\(name)\(Self.attributes(attributes))>\(HTMLEscaping.escape(content))</\(name)>"
    }

    /// A coordinate with one decimal: enough for a 600-pixel chart, short in the file.
    package static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    private static func attributes(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(HTMLEscaping.escape($0.1))\"" }.joined()
    }
}
