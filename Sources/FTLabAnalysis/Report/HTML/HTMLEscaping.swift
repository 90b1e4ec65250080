/// Escapes text for HTML and SVG, in element content and in double- or single-quoted
/// attribute values alike. (Plot's own escaping keeps entity-like text such as `&amp;` as
/// is and leaves attribute values raw, so labels from CSV files go through this instead.)
package enum HTMLEscaping {
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
