/// A chart of values against thread counts: curves with confidence whiskers, guide lines
/// (ideal scaling, parity) and a mark where the thread count passes the online CPUs.
/// `svg()` (LineChartSVG.swift) draws it.
struct LineChart {
    struct Point {
        var x: Double
        var y: Double
        /// The confidence interval, drawn as a whisker; nil draws none.
        var low: Double? = nil
        var high: Double? = nil
        /// Shown by the browser on hover.
        var tooltip: String
    }

    struct Line {
        var label: String
        var style: SeriesStyle
        var points: [Point]
        /// Drawn heavier (the native ceiling).
        var bold = false
    }

    /// A thin reference line, drawn under the data.
    struct Guide {
        var points: [(x: Double, y: Double)]
        var color: String
        /// Written above the line's right end, or below its left end, when given.
        var label: String? = nil
        var labelAtLeft = false
        /// The element's class (`guide ideal`, `guide parity`).
        var cssClass: String
    }

    /// The element id (unique in the page) and the kind, which becomes the class `chart-KIND`.
    var id: String
    var kind: String
    var title: String
    var yLabel: String
    var format: ValueFormat
    var logarithmic = false
    var lines: [Line]
    var guides: [Guide] = []
    /// Thread counts at which a "N CPUs" mark is drawn (only inside the x range).
    var cpuMarks: [Int] = []
    /// Values the y axis must show (0 for throughput, 1 for ratios).
    var yIncludes: [Double] = []
    /// A line of text above the plot's top-right corner.
    var note: String? = nil

    static let width = 600.0
    static let height = 340.0
    /// The plot area inside the frame, in SVG units.
    static let plotArea = (left: 74.0, right: 584.0, top: 22.0, bottom: 286.0)
    /// Space kept between the plot area's edge and the outermost data point.
    static let inset = 14.0

    /// The x scale: from the smallest to the largest thread count, ticked at each one.
    var xScale: Scale {
        let xs = Set(lines.flatMap { $0.points.map(\.x) }).sorted()
        var lower = xs.first ?? 1, upper = xs.last ?? 1
        if lower == upper { (lower, upper) = (lower - 1, upper + 1) }
        return Scale(kind: .linear, lower: lower, upper: upper,
                     pixels: (Self.plotArea.left + Self.inset, Self.plotArea.right - Self.inset), ticks: xs)
    }

    /// The y scale: every scaled point and `yIncludes`, then whisker ends and guides that lie
    /// within the points' span again on either side (so one wild interval or a guide that climbs
    /// on is clipped rather than allowed to flatten the data).
    var yScale: Scale {
        let points = lines.flatMap { $0.points.map(\.y) }.filter(\.isFinite) + yIncludes
        let extras = lines.flatMap { $0.points.flatMap { [$0.low, $0.high].compactMap { $0 } } }
            + guides.flatMap { $0.points.map(\.y) }
        let low = points.min() ?? 0, high = points.max() ?? 1
        let pad = max(high - low, abs(high) * 0.5)
        let values = points + extras.filter { $0.isFinite && low - pad <= $0 && $0 <= high + pad }
        let pixels = (Self.plotArea.bottom - Self.inset, Self.plotArea.top + Self.inset)
        return logarithmic ? .logarithmic(covering: values, pixels: pixels) : .linear(covering: values, pixels: pixels)
    }
}
