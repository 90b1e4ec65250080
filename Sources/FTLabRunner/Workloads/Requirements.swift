import Foundation

/// A workload's PyPI requirements: PEP 508 strings, as in `workload.toml` or a requirements file.
public enum Requirements {
    /// Why `item` is not a requirement ftlab accepts, or nil. Only the shape is checked here
    /// (a project name first, no pip options); pip judges the rest when it installs.
    public static func problem(_ item: String) -> String? {
        let text = item.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return "an empty requirement; expected a PEP 508 string such as \"flask>=3\"" }
        if text.hasPrefix("-") {
            return "requirement \"\(item)\" is a pip option; expected a PEP 508 string such as \"flask>=3\" (options are not accepted)"
        }
        guard let first = text.unicodeScalars.first, CharacterSet.alphanumerics.contains(first), first.isASCII else {
            return "requirement \"\(item)\" does not start with a project name; expected a PEP 508 string such as \"flask>=3\""
        }
        if text.contains("\n") { return "requirement \"\(item)\" spans lines; expected one PEP 508 string per entry" }
        return nil
    }

    /// The requirements in a requirements file: one per line, `#` comments and blank lines
    /// skipped. A line ftlab does not accept names the file and line.
    public static func parseFile(_ text: String, path: String) throws(WorkloadError) -> [String] {
        var found: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.range(of: " #") ?? (line.hasPrefix("#") ? line.range(of: "#") : nil) {
                line = String(line[..<hash.lowerBound])
            }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if let problem = problem(line) { throw .badManifest(path: "\(path):\(index + 1)", reason: problem) }
            found.append(line)
        }
        return found
    }

    /// The requirements in a canonical form for the venv's identity: whitespace removed,
    /// sorted, duplicates dropped.
    public static func normalized(_ items: [String]) -> [String] {
        Array(Set(items.map { $0.filter { !$0.isWhitespace } })).sorted()
    }
}
