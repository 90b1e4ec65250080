import Testing
@testable import FTLabRunner
@testable import FTLabAnalysis

@Suite struct ChartTests {
    let pixels = (lower: 300.0, upper: 0.0)

    @Test func linearScaleCoversTheDataWithRoundTicks() {
        let scale = Scale.linear(covering: [0, 1_234_567, 2_340_000], pixels: pixels)
        #expect(scale.lower == 0 && scale.upper == 2_500_000)
        #expect(scale.ticks == [0, 500_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000])
        #expect(ValueFormat.number.ticks(scale) == ["0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"])
        #expect(scale.position(0) == 300 && scale.position(2_500_000) == 0)
    }

    @Test func ratioScaleAroundOne() {
        let scale = Scale.linear(covering: [0.78, 1, 1.23], pixels: pixels)
        #expect(scale.lower <= 0.78 && scale.upper >= 1.23)
        #expect(scale.ticks.count >= 3 && scale.ticks.count <= 8)
        #expect(ValueFormat.ratio.ticks(scale).first == "0.7x")
    }

    @Test func degenerateLinearScales() {
        let empty = Scale.linear(covering: [], pixels: pixels)
        #expect(empty.lower == 0 && empty.upper == 1)
        let zero = Scale.linear(covering: [0, 0], pixels: pixels)
        #expect(zero.lower == 0 && zero.upper == 1)
        let one = Scale.linear(covering: [1], pixels: pixels)
        #expect(one.lower <= 0.9 && one.upper >= 1.1)
        let nan = Scale.linear(covering: [.nan, 5], pixels: pixels)
        #expect(nan.lower <= 5 && nan.upper >= 5)
    }

    @Test func logScaleWholeDecades() {
        let scale = Scale.logarithmic(covering: [450, 4000, 20_000], pixels: pixels)
        #expect(scale.lower == 100 && scale.upper == 100_000)
        #expect(scale.ticks == [100, 1000, 10_000, 100_000])
        #expect(ValueFormat.microseconds.ticks(scale) == ["100 µs", "1 ms", "10 ms", "100 ms"])
        let narrow = Scale.logarithmic(covering: [300, 600], pixels: pixels)
        #expect(narrow.ticks == [100, 200, 500, 1000])
        let empty = Scale.logarithmic(covering: [0, -1], pixels: pixels)
        #expect(empty.lower == 1 && empty.upper == 10)
    }

    @Test func tickFormats() {
        #expect(ValueFormat.fixed(0.25, step: 0.25) == "0.25")
        #expect(ValueFormat.fixed(2, step: 0.5) == "2.0")
        #expect(ValueFormat.fixed(1500, step: 500) == "1500")
        #expect(ValueFormat.percent.ticks(Scale.linear(covering: [0, 1], pixels: pixels)) == ["0%", "20%", "40%", "60%", "80%", "100%"])
    }

    func chart(_ lines: [LineChart.Line], guides: [LineChart.Guide] = [], includes: [Double] = [0]) -> LineChart {
        LineChart(id: "c", kind: "throughput", title: "t", yLabel: "y", format: .number, lines: lines, guides: guides,
                  yIncludes: includes)
    }

    func line(_ points: [(Double, Double, Double?, Double?)]) -> LineChart.Line {
        LineChart.Line(label: "l", style: SeriesStyle(color: "#000", dash: ""),
                       points: points.map { LineChart.Point(x: $0.0, y: $0.1, low: $0.2, high: $0.3, tooltip: "") })
    }

    @Test func chartRangesCoverWhiskersAndGuidesButNotRunawayOnes() {
        let data = line([(1, 100, 90, 130), (2, 150, 140, 160), (3, 140, nil, nil)])
        let c = chart([data])
        #expect(c.xScale.lower == 1 && c.xScale.upper == 3 && c.xScale.ticks == [1, 2, 3])
        #expect(c.yScale.lower == 0 && c.yScale.upper >= 160)
        let ideal = LineChart.Guide(points: [(1, 100), (2, 200)], color: "#555", cssClass: "guide ideal")
        #expect(chart([data], guides: [ideal]).yScale.upper >= 200)
        let runaway = LineChart.Guide(points: [(1, 100), (64, 6400)], color: "#555", cssClass: "guide ideal")
        #expect(chart([data], guides: [runaway]).yScale.upper < 400, "a guide past twice the data is clipped")
        let wild = chart([line([(1, 1.1, 0.01, 36), (2, 0.9, 0.8, 1.0)])], includes: [1])
        #expect(wild.yScale.upper < 2 && wild.yScale.lower > 0.5, "one wild interval is clipped, not scaled to")
        let single = chart([line([(4, 10, nil, nil)])])
        #expect(single.xScale.lower == 3 && single.xScale.upper == 5)
    }

    @Test func svgHasItsIdClassAndEscapedLabels() {
        var c = chart([line([(1, 100, 90, 110), (2, 180, 170, 190)])])
        c.lines[0].label = "a<b & \"c\">"
        c.title = "T <&>"
        c.note = "note <x>"
        let svg = c.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"c\" class=\"chart chart-throughput\""))
        #expect(svg.contains("data-label=\"a&lt;b &amp; &quot;c&quot;&gt;\""))
        #expect(svg.contains("<title>T &lt;&amp;&gt;</title>"))
        #expect(svg.contains("note &lt;x&gt;"))
        #expect(!svg.contains("<b ") && !svg.contains("<x>"))
        #expect(svg.components(separatedBy: "class=\"point\"").count == 3)
        #expect(svg.components(separatedBy: "class=\"whisker\"").count == 3)
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func escaping() {
        #expect(HTMLEscaping.escape("<a href='x'>&amp;\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;amp;&quot;&lt;/a&gt;")
        #expect(HTMLEscaping.escape("µs · ok") == "µs · ok")
    }
}
