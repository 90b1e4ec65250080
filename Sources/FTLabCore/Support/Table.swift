import Foundation
import TextTable

/// A table of strings rendered with TextTable: aligned plain text, or a markdown pipe table.
package struct Table {
    package let header: [String]
    /// Which columns are right-aligned (numbers).
    package let rightAligned: Set<Int>
    package var rows: [[String]] = []

    package init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    /// Aligned text; `style(i)` may colour the whole line of row `i`.
    package func text(style: (Int) -> TerminalStyle? = { _ in nil }) -> String {
        let lines = render(Simple.self, escape: { $0 }).split(separator: "\n")
        return lines.enumerated().map { index, line in
            let trimmed = String(line.reversed().drop(while: { $0 == " " }).reversed())
            // Lines 0 and 1 are the header and its rule.
            guard index >= 2, let style = style(index - 2) else { return trimmed }
            return style.apply(trimmed)
        }.joined(separator: "\n")
    }

    /// A GitHub-flavoured markdown table.
    package func markdown() -> String {
        render(Pipe.self, escape: { $0.replacingOccurrences(of: "|", with: "\\|") })
            .trimmingCharacters(in: .newlines)
    }

    private func render(_ style: TextTableStyle.Type, escape: @escaping (String) -> String) -> String {
        let table = TextTable<[String]> { cells in
            cells.enumerated().map { index, cell in
                Column(title: escape(header[index]), value: escape(cell),
                       align: rightAligned.contains(index) ? .right : .left)
            }
        }
        return table.string(for: rows, style: style) ?? ""
    }
}

/// Renders rows of strings as a plain aligned table with a dashed rule under the header.
package func renderTable(header: [String], rows: [[String]]) -> String {
    var table = Table(header: header)
    table.rows = rows
    return table.text()
}
