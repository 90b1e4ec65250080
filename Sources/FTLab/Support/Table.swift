import TextTable

/// Renders rows of strings as a plain aligned table with a dashed rule under the header.
func renderTable(header: [String], rows: [[String]]) -> String {
    let table = TextTable<[String]> { row in
        zip(header, row).map { Column(title: $0, value: $1) }
    }
    let text = table.string(for: rows) ?? header.joined(separator: " ") + "\n"
    return text.split(separator: "\n", omittingEmptySubsequences: false)
        .map { line in String(line.reversed().drop(while: { $0 == " " }).reversed()) }
        .joined(separator: "\n")
}
