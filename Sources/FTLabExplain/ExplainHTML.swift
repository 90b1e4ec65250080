import Foundation
import FTLabCore
import FTLabAnalysis

/// A self-contained HTML `<section>` of an explanation, to paste into any page or report:
/// per configuration, the verdict, an inline SVG bar per worker thread (on-CPU, runnable,
/// blocked), the thread table and the growing symbols. Inline styles only, no scripts.
public enum ExplainHTML {
    package static let colors = (onCPU: "#2e7d32", runnable: "#f9a825", blocked: "#c62828", afterFinish: "#9e9e9e")

    public static func render(_ explanation: Explanation) -> String {
        var html = ["<section class=\"ftlab-explain\" style=\"font-family:sans-serif;max-width:60em\">",
                    "<h2>Why it scales as it does: \(escape(explanation.workload))</h2>"]
        for c in explanation.configurations {
            html.append(configuration(c))
        }
        if let d = explanation.buildDifference {
            html.append("<h3>\(escape(d.freeThreaded)) against \(escape(d.gil)): larger shares of samples on the free-threaded build</h3>")
            html.append(symbolTable(d.growing, header: ["symbol", d.gil, d.freeThreaded, "difference", "cause"]))
        }
        html.append("</section>")
        return html.joined(separator: "\n") + "\n"
    }

    package static func configuration(_ c: ConfigurationExplanation) -> String {
        var html = ["<h3>\(escape(c.interpreter)) (\(escape(ExplainText.buildText(c)))) at \(escape(ExplainText.threadsText(c.threads)))</h3>",
                    "<p><strong>Verdict:</strong> \(escape(c.verdict))</p>",
                    "<p>\(escape(ExplainText.throughputLine(c)))</p>",
                    chart(c)]
        var rows = ""
        for (i, t) in c.target.threads.enumerated() {
            let futex = c.lockWaits.flatMap { i < $0.threads.count ? $0.threads[i] : nil }
            let cells = [String(i), String(t.tid), pct(t.onCPUShare), pct(t.runnableShare), pct(t.blockedShare),
                         pct(t.afterFinishShare), String(t.ctxVoluntary), String(t.ctxInvoluntary), futex.map { String($0.calls) } ?? "-",
                         futex.map { String(format: "%.1f", $0.totalMilliseconds) } ?? "-"]
            rows += "<tr>" + cells.map { "<td style=\"text-align:right;padding:0 .6em\">\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        let header = ExplainText.threadHeader
        html.append("<table style=\"border-collapse:collapse\"><tr>" + header.map { "<th style=\"padding:0 .6em\">\($0)</th>" }.joined()
            + "</tr>\n\(rows)</table>")
        html.append("<p>\(escape(ExplainText.lockWaitsLine(c)))</p>")
        if let profile = c.targetProfile {
            html.append("<p>Growing symbols: share of worker samples with the symbol on the stack, "
                + "\(escape(ExplainText.threadsText(c.baselineThreads))) to \(escape(ExplainText.threadsText(c.threads))) "
                + "(\(profile.sampleCount) samples at \(escape(ExplainText.threadsText(c.threads)))).</p>")
            html.append(symbolTable(c.growing, header: ["symbol", ExplainText.threadsText(c.baselineThreads),
                                                        ExplainText.threadsText(c.threads), "growth", "cause"]))
        }
        if let note = c.profileNote { html.append("<p><em>Profile:</em> \(escape(note))</p>") }
        return html.joined(separator: "\n")
    }

    /// One horizontal stacked bar per worker thread, baseline threads first.
    package static func chart(_ c: ConfigurationExplanation) -> String {
        let rows = c.baseline.threads.enumerated().map { ("\(ExplainText.threadsText(c.baselineThreads)) · thread \($0.offset)", $0.element) }
            + c.target.threads.enumerated().map { ("\(ExplainText.threadsText(c.threads)) · thread \($0.offset)", $0.element) }
        let label = 170.0, width = 420.0, bar = 18.0, gap = 6.0, top = 24.0
        let height = top + Double(rows.count) * (bar + gap)
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(label + width + 10))\" height=\"\(Int(height))\" "
                   + "role=\"img\" aria-label=\"where each worker thread's wall time went\" style=\"font:12px sans-serif\">"]
        var x = 0.0
        for (name, color) in [("on-CPU", colors.onCPU), ("runnable (waiting for a CPU)", colors.runnable), ("blocked", colors.blocked),
                              ("done early", colors.afterFinish)] {
            svg.append("<rect x=\"\(x)\" y=\"4\" width=\"10\" height=\"10\" fill=\"\(color)\"/><text x=\"\(x + 14)\" y=\"13\">\(escape(name))</text>")
            x += 14 + Double(name.count) * 6.5 + 12
        }
        for (i, (name, t)) in rows.enumerated() {
            let y = top + Double(i) * (bar + gap)
            svg.append("<text x=\"0\" y=\"\(y + 13)\">\(escape(name))</text>")
            var start = label
            for (share, color) in [(t.onCPUShare, colors.onCPU), (t.runnableShare, colors.runnable), (t.blockedShare, colors.blocked),
                                  (t.afterFinishShare, colors.afterFinish)] {
                let w = max(0, min(share, 1)) * width
                guard w > 0 else { continue }
                svg.append("<rect x=\"\(fmt(start))\" y=\"\(y)\" width=\"\(fmt(w))\" height=\"\(bar)\" fill=\"\(color)\"><title>\(pct(share))</title></rect>")
                if w >= 34 {
                    svg.append("<text x=\"\(fmt(start + 4))\" y=\"\(y + 13)\" fill=\"#fff\">\(pct(share))</text>")
                }
                start += w
            }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    package static func symbolTable(_ growing: [SymbolGrowth], header: [String]) -> String {
        guard !growing.isEmpty else { return "<p>No symbol grew by \(pct(SymbolDiff.minimumGrowth)) or more.</p>" }
        var html = "<table style=\"border-collapse:collapse\"><tr>" + header.map { "<th style=\"padding:0 .6em\">\(escape($0))</th>" }.joined() + "</tr>\n"
        for g in growing {
            let same = g.sameStacks.isEmpty ? "" : " <span title=\"\(escape(g.sameStacks.joined(separator: ", ")))\">(+\(g.sameStacks.count) on the same stacks)</span>"
            let cells = ["<code>\(escape(g.symbol))</code>\(same)", pct(g.baseShare), pct(g.targetShare),
                         NumberFormat.percent(g.growth, digits: 1, signed: true), escape(g.contention?.cause ?? "")]
            html += "<tr>" + cells.map { "<td style=\"padding:0 .6em\">\($0)</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>"
    }

    package static func pct(_ share: Double) -> String { NumberFormat.percent(share, digits: 0) }
    package static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    package static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
