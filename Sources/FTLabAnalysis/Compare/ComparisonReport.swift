import FTLabCore
/// The human-readable reports of a comparison: aligned text and markdown.
extension Comparison {
    /// Aligned text for a terminal; `color` marks slower rows red and faster ones green
    /// (ask for it only on a TTY).
    public func text(color: Bool = false) -> String {
        let styled: (TerminalStyle?, String) -> String = { style, text in
            guard color, let style else { return text }
            return style.apply(text)
        }
        var out = [heading, ""]
        out.append(table.text { index in color ? Self.style(of: results[index].verdict) : nil })
        for (title, lines) in lists {
            out += ["", title + ":"] + lines.map { "  " + $0 }
        }
        out += ["", styled(exitCode == 0 ? .green : .red, conclusion)]
        return out.joined(separator: "\n") + "\n"
    }

    /// The same report as GitHub-flavoured markdown, for a pull-request comment.
    public func markdown() -> String {
        var out = ["### " + heading, "", table.markdown()]
        for (title, lines) in lists {
            out += ["", "**\(title)**", ""] + lines.map { "- " + $0 }
        }
        out += ["", "**\(conclusion)**"]
        return out.joined(separator: "\n") + "\n"
    }

    private static func style(of verdict: Verdict) -> TerminalStyle? {
        switch verdict {
        case .slower: .red
        case .faster: .green
        case .same: nil
        }
    }

    private var heading: String {
        var text = "\(baseSide) -> \(newSide): threshold \(NumberFormat.percent(threshold)), "
            + "\(NumberFormat.percent(confidenceLevel, digits: 0)) two-stage bootstrap CI (processes, then samples) of the ratio of medians"
        if !ignored.isEmpty { text += ", ignoring \(ignored.joined(separator: ", "))" }
        return text
    }

    private var conclusion: String {
        let faster = results.filter { $0.verdict == .faster }.count
        let slower = regressions.count
        return "\(results.count) compared: \(slower) slower, \(faster) faster, "
            + "\(results.count - slower - faster) same"
            + (broken.isEmpty ? "" : ", \(broken.count) broken in \(newSide)")
            + (exitCode != 0 ? " (regression: exit 1)" : "")
    }

    /// Key columns whose values differ between results (workload and variant always shown).
    private var shownColumns: [String] {
        let others = ResultRow.configurationColumns.filter { !["workload", "variant"].contains($0) }
        return ["workload", "variant"] + results.varying(others) { $0.configuration[$1] ?? "" }
    }

    private var table: Table {
        let columns = shownColumns
        let header = columns + ["metric", "base", "new", "change", "\(NumberFormat.percent(confidenceLevel, digits: 0)) CI", "p", "verdict"]
        var table = Table(header: header, rightAligned: Set(columns.count + 1..<header.count - 1))
        table.rows = results.map { result in
            columns.map { result.configuration[$0] ?? "" } + [
                result.metric.rawValue,
                NumberFormat.si(result.base.median),
                NumberFormat.si(result.new.median),
                NumberFormat.percent(result.ratio - 1, signed: true),
                "[\(NumberFormat.percent(result.ratioInterval.low - 1, signed: true)), "
                    + "\(NumberFormat.percent(result.ratioInterval.high - 1, signed: true))]",
                NumberFormat.pValue(result.pValue),
                result.verdict.rawValue,
            ]
        }
        return table
    }

    private var inconclusiveLines: [String] {
        let columns = shownColumns.filter { !["workload", "variant"].contains($0) }
        return inconclusive.map { result in
            let name = [result.configuration["workload"] ?? "", result.configuration["variant"] ?? ""]
                .filter { !$0.isEmpty }.joined(separator: "/")
            let label = ([name] + columns.map { "\($0)=\(result.configuration[$0] ?? "")" }).joined(separator: " ")
            return "\(label) \(result.metric.rawValue): "
                + "[\(NumberFormat.percent(result.ratioInterval.low - 1, signed: true)), "
                + "\(NumberFormat.percent(result.ratioInterval.high - 1, signed: true))]"
        } + (processesToResolve.map {
            ["about \($0) processes a side (--processes) would narrow these CIs to ±\(NumberFormat.percent(threshold))"]
        } ?? [])
    }

    /// The titled lists after the table; empty ones are left out.
    private var lists: [(String, [String])] {
        let means = geometricMeans.map {
            "\($0.workload) \($0.metric.rawValue): \(NumberFormat.ratio($0.ratio)) "
                + "(\(NumberFormat.percent($0.ratio - 1, signed: true))) over \($0.configurations) configuration(s)"
        }
        let failures = notOK.map {
            "\($0.file): \($0.label): \($0.processes) process(es) \($0.status)"
                + ($0.message.isEmpty ? "" : " (\($0.message))")
        }
        return [
            ("Geometric mean per workload", means),
            ("Only in \(baseSide)", onlyInBase),
            ("Only in \(newSide)", onlyInNew),
            ("Broken in \(newSide) (all processes ok in \(baseSide))", broken),
            ("Inconclusive: `same`, but the \(NumberFormat.percent(confidenceLevel, digits: 0)) CI reaches past "
                + "±\(NumberFormat.percent(threshold)), so a change of that size is not ruled out", inconclusiveLines),
            ("Processes not ok", failures),
            ("Warnings", warnings),
        ].filter { !$0.1.isEmpty }
    }
}
