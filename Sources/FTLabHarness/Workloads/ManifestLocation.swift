import Foundation

/// Finds the line of a manifest that a decoding error is about, so a message can name
/// `workload.toml:LINE` although the TOML decoder reports only coding paths.
package struct ManifestLocation {
    /// The line of the table or key, 1-based.
    package var line: Int
    /// Whether a `key = ...` line was found (false: `line` is the table's).
    package var keyPresent: Bool

    /// Locates a coding path such as `[variants, 1, question]` (the second `[[variants]]`
    /// table's `question`), `[variants, 1]` (that table) or `[unit]` (a top-level key).
    package init(_ path: [CodingKey], in text: String) {
        if path.count >= 2, let index = path[1].intValue {
            self.init(table: path[0].stringValue, index: index, key: path.count > 2 ? path[2].stringValue : nil, in: text)
        } else {
            self.init(table: nil, index: 0, key: path.first?.stringValue, in: text)
        }
    }

    /// The line of `key = ...` in the `index`-th `[[table]]` (nil: the top level); without
    /// such a line, the table's header line, or line 1.
    package init(table: String?, index: Int, key: String?, in text: String) {
        var inside = table == nil  // whether the scan is in the table asked for
        var occurrences: [String: Int] = [:]
        var header: Int?
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = (raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
                let occurrence = occurrences[name, default: 0]
                occurrences[name] = occurrence + 1
                inside = name == table && occurrence == index
                if inside { header = offset + 1 }
            } else if inside, let key, line.hasPrefix(key),
                      line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                self.line = offset + 1
                keyPresent = true
                return
            }
        }
        line = header ?? 1
        keyPresent = false
    }
}
