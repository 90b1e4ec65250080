/// Draws a `LineChart` as a self-contained SVG element (no scripts, no external styles:
/// colours and strokes are attributes, so the chart reads the same outside the report).
extension LineChart {
    package func svg() -> String {
        let x = xScale, y = yScale
        let area = Self.plotArea
        var svg = SVGWriter()
        svg.open("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("id", id), ("class", "chart chart-\(kind)"),
            ("viewBox", "0 0 \(Int(Self.width)) \(Int(Self.height))"), ("role", "img"), ("aria-label", title),
        ])
        svg.text("title", [], title)
        svg.open("defs")
        svg.open("clipPath", [("id", "\(id)-clip")])
        svg.leaf("rect", [("x", n(area.left)), ("y", n(area.top)), ("width", n(area.right - area.left)),
                          ("height", n(area.bottom - area.top))])
        svg.close("clipPath")
        svg.close("defs")
        drawAxes(&svg, x: x, y: y)
        svg.open("g", [("class", "data"), ("clip-path", "url(#\(id)-clip)")])
        for guide in guides { drawGuide(&svg, guide, x: x, y: y) }
        for (index, line) in lines.enumerated() {
            drawLine(&svg, line, x: x, y: y, dodge: Self.dodge(index, of: lines.count))
        }
        svg.close("g")
        for guide in guides {
            guard let label = guide.label, let end = guide.labelAtLeft ? guide.points.first : guide.points.last,
                  y.lower <= end.y, end.y <= y.upper else { continue }
            let position: [(String, String)] = guide.labelAtLeft
                ? [("x", n(area.left + 4)), ("y", n(y.position(end.y) + 13)), ("text-anchor", "start")]
                : [("x", n(area.right - 4)), ("y", n(y.position(end.y) - 4)), ("text-anchor", "end")]
            svg.text("text", [("class", "guide-label")] + position + [("font-size", "11"), ("fill", guide.color)] + Self.halo, label)
        }
        if let note {
            svg.text("text", [("class", "note"), ("x", n(area.right)), ("y", n(area.top - 8)),
                              ("text-anchor", "end"), ("font-size", "11"), ("fill", "#333")] + Self.halo, note)
        }
        svg.close("svg")
        return svg.markup
    }

    private func drawAxes(_ svg: inout SVGWriter, x: Scale, y: Scale) {
        let area = Self.plotArea
        svg.open("g", [("class", "axis y-axis"), ("font-size", "12"), ("fill", "#333")])
        for (tick, label) in zip(y.ticks, format.ticks(y)) {
            let py = y.position(tick)
            svg.leaf("line", [("x1", n(area.left)), ("x2", n(area.right)), ("y1", n(py)), ("y2", n(py)),
                              ("stroke", "#e3e3e3"), ("stroke-width", "1")])
            svg.text("text", [("x", n(area.left - 6)), ("y", n(py + 4)), ("text-anchor", "end")], label)
        }
        let middle = (area.top + area.bottom) / 2
        svg.text("text", [("class", "axis-label"), ("transform", "translate(16 \(n(middle))) rotate(-90)"),
                          ("text-anchor", "middle")], yLabel)
        svg.close("g")
        svg.open("g", [("class", "axis x-axis"), ("font-size", "12"), ("fill", "#333")])
        svg.leaf("line", [("x1", n(area.left)), ("x2", n(area.right)), ("y1", n(area.bottom)), ("y2", n(area.bottom)),
                          ("stroke", "#888"), ("stroke-width", "1")])
        var lastLabelled = -Double.infinity
        for tick in x.ticks {
            let px = x.position(tick)
            svg.leaf("line", [("x1", n(px)), ("x2", n(px)), ("y1", n(area.bottom)), ("y2", n(area.bottom + 5)),
                              ("stroke", "#888")])
            guard px - lastLabelled >= 24 else { continue }
            svg.text("text", [("x", n(px)), ("y", n(area.bottom + 19)), ("text-anchor", "middle")], String(Int(tick)))
            lastLabelled = px
        }
        svg.text("text", [("class", "axis-label"), ("x", n((area.left + area.right) / 2)), ("y", n(Self.height - 12)),
                          ("text-anchor", "middle")], "threads")
        for cpus in Set(cpuMarks).sorted() where x.lower <= Double(cpus) && Double(cpus) < x.upper {
            let px = x.position(Double(cpus))
            svg.leaf("line", [("class", "cpu-mark"), ("x1", n(px)), ("x2", n(px)), ("y1", n(area.top)),
                              ("y2", n(area.bottom)), ("stroke", "#999"), ("stroke-dasharray", "2 4")])
            svg.text("text", [("class", "cpu-mark-label"), ("x", n(px + 4)), ("y", n(area.top + 12)),
                              ("font-size", "11"), ("fill", "#666")] + Self.halo, "\(cpus) CPUs online")
        }
        svg.close("g")
    }

    private func drawGuide(_ svg: inout SVGWriter, _ guide: Guide, x: Scale, y: Scale) {
        let points = guide.points.filter { !logarithmic || $0.y > 0 }
            .map { "\(n(x.position($0.x))),\(n(y.position($0.y)))" }.joined(separator: " ")
        svg.leaf("polyline", [("class", guide.cssClass), ("points", points), ("fill", "none"),
                              ("stroke", guide.color), ("stroke-width", "1.2"), ("stroke-dasharray", "3 4"),
                              ("stroke-opacity", "0.7")])
    }

    /// A white outline behind text drawn over the data, so it stays legible.
    private static let halo = [("stroke", "#fff"), ("stroke-width", "3"), ("paint-order", "stroke")]

    /// Curves are nudged sideways by a few pixels each, so whiskers at one thread count do not
    /// hide one another.
    private static func dodge(_ index: Int, of count: Int) -> Double {
        let step = min(3, 18 / Double(max(1, count - 1)))
        return (Double(index) - Double(count - 1) / 2) * step
    }

    private func drawLine(_ svg: inout SVGWriter, _ line: Line, x: Scale, y: Scale, dodge: Double) {
        let points = line.points.filter { !logarithmic || $0.y > 0 }
        svg.open("g", [("class", "series"), ("data-label", line.label)])
        svg.text("title", [], line.label)
        var path: [(String, String)] = [
            ("points", points.map { "\(n(x.position($0.x) + dodge)),\(n(y.position($0.y)))" }.joined(separator: " ")),
            ("fill", "none"), ("stroke", line.style.color), ("stroke-width", line.bold ? "3" : "2"),
            ("stroke-linejoin", "round"),
        ]
        if !line.style.dash.isEmpty { path.append(("stroke-dasharray", line.style.dash)) }
        svg.leaf("polyline", path)
        for point in points {
            let px = x.position(point.x) + dodge, py = y.position(point.y)
            if let low = point.low, let high = point.high, low.isFinite, high.isFinite, !logarithmic || low > 0 {
                let top = y.position(high), bottom = y.position(low)
                svg.open("g", [("class", "whisker"), ("stroke", line.style.color), ("stroke-width", "1.5")])
                svg.leaf("line", [("x1", n(px)), ("x2", n(px)), ("y1", n(top)), ("y2", n(bottom))])
                svg.leaf("line", [("x1", n(px - 5)), ("x2", n(px + 5)), ("y1", n(top)), ("y2", n(top))])
                svg.leaf("line", [("x1", n(px - 5)), ("x2", n(px + 5)), ("y1", n(bottom)), ("y2", n(bottom))])
                svg.close("g")
            }
            svg.open("circle", [("class", "point"), ("cx", n(px)), ("cy", n(py)), ("r", line.bold ? "4.5" : "3.5"),
                                ("fill", line.style.color), ("stroke", "#fff"), ("stroke-width", "1")])
            svg.text("title", [], point.tooltip)
            svg.close("circle")
        }
        svg.close("g")
    }

    private func n(_ value: Double) -> String { SVGWriter.number(value) }
}
