/// A chart of values against thread counts: curves with confidence whiskers, guide lines
/// (ideal scaling, parity) and a mark where the thread count passes the online CPUs.
/// `svg()` (LineChartSVG.swift) draws it.
package struct LineChart {
    package struct Point {
        package var x: Double
        package var y: Double
        /// The confidence interval, drawn as a whisker; nil draws none.
        package var low: Double? = nil
        package var high: Double? = nil
        /// Shown by the browser on hover.
        package var tooltip: String
    }

    package struct Line {
        package var label: String
        package var style: SeriesStyle
        package var points: [Point]
        /// Drawn heavier (the native ceiling).
        package var bold = false
    }

    /// A thin reference line, drawn under the data.
    package struct Guide {
        package var points: [(x: Double, y: Double)]
        package var color: String
        /// Written above the line's right end, or below its left end, when given.
        package var label: String? = nil
        package var labelAtLeft = false
        /// The element's class (`guide ideal`, `guide parity`).
        package var cssClass: String
    }

    /// The element id (unique in the page) and the kind, which becomes the class `chart-KIND`.
    package var id: String
    package var kind: String
    package var title: String
    package var yLabel: String
    package var format: ValueFormat
    package var logarithmic = false
    package var lines: [Line]
    package var guides: [Guide] = []
    /// Thread counts at which a "N CPUs" mark is drawn (only inside the x range).
    package var cpuMarks: [Int] = []
    /// Values the y axis must show (0 for throughput, 1 for ratios).
    package var yIncludes: [Double] = []
    /// A line of text above the plot's top-right corner.
    package var note: String? = nil

    package static let width = 600.0
    package static let height = 340.0
    /// The plot area inside the frame, in SVG units.
    package static let plotArea = (left: 74.0, right: 584.0, top: 22.0, bottom: 286.0)
    /// Space kept between the plot area's edge and the outermost data point.
    package static let inset = 14.0

    /// The x scale: from the smallest to the largest thread count, ticked at each one.
    package var xScale: Scale {
        let xs = Set(lines.flatMap { $0.points.map(\.x) }).sorted()
        var lower = xs.first ?? 1, upper = xs.last ?? 1
        if lower == upper { (lower, upper) = (lower - 1, upper + 1) }
        return Scale(kind: .linear, lower: lower, upper: upper,
                     pixels: (Self.plotArea.left + Self.inset, Self.plotArea.right - Self.inset), ticks: xs)
    }

    /// The y scale: every scaled point and `yIncludes`, then whisker ends and guides that lie
    /// within the points' span again on either side (so one wild interval or a guide that climbs
    /// on is clipped rather than allowed to flatten the data).
    package var yScale: Scale {
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
