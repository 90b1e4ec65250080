/// The report's only styles, inlined in the page: a single column up to 1240 px wide with
/// charts two to a row, readable at 1280 px and printable.
package enum ReportStylesheet {
    package static let css = """
        :root { color-scheme: light; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d1d1f;
               margin: 0 auto; max-width: 1240px; padding: 20px 20px 48px; background: #fff; }
        h1 { font-size: 26px; margin: 4px 0 2px; }
        h2 { font-size: 20px; margin: 0 0 10px; }
        h3 { font-size: 15px; margin: 0 0 6px; }
        a { color: #0b5cad; }
        .sources, .lead { color: #555; margin: 0 0 14px; }
        .runs { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 14px; margin: 14px 0; }
        .run { border: 1px solid #d9d9de; border-radius: 8px; padding: 12px 14px; background: #fafafc; }
        .run-body { display: flex; flex-wrap: wrap; gap: 4px 40px; align-items: flex-start; }
        .run-body table { margin-top: 0; }
        .machine { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0 0 10px; }
        .machine dt { color: #666; }
        .machine dd { margin: 0; }
        nav.toc { margin: 10px 0 18px; }
        nav.toc ul { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
        table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
        table.figures { margin-top: 14px; }
        th, td { padding: 3px 9px; border-bottom: 1px solid #e6e6ea; text-align: left; vertical-align: top; }
        th { background: #f1f1f4; font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .within { color: #1a7f37; }
        .over { color: #b42318; font-weight: 600; }
        section.workload { border-top: 2px solid #d9d9de; padding-top: 16px; margin-top: 26px; }
        .question { color: #444; margin: -4px 0 10px; }
        ul.legend { list-style: none; padding: 0; margin: 0 0 10px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
        ul.legend li { display: flex; align-items: center; gap: 6px; }
        ul.legend svg { width: 40px; height: 14px; flex: none; }
        .charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
        figure { margin: 0; border: 1px solid #e1e1e6; border-radius: 8px; padding: 8px 8px 2px; }
        figcaption { font-weight: 600; margin: 0 4px 2px; }
        figure svg { display: block; width: 100%; height: auto; font-family: inherit; }
        .no-data { padding: 10px 12px; background: #fff4f2; border: 1px solid #f3c5bd; border-radius: 6px; }
        details.failures { margin: 6px 0; }
        details.failures li { margin: 2px 0; }
        .message { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; white-space: pre-wrap;
                   overflow-wrap: anywhere; color: #7a271a; }
        footer { margin-top: 32px; color: #666; font-size: 12px; border-top: 1px solid #e6e6ea; padding-top: 10px; }
        @media (max-width: 900px) { .charts { grid-template-columns: 1fr; } }
        """
}
