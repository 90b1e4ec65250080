import Foundation

/// Maps data values onto pixels along one axis, with tick values at round numbers.
package struct Scale: Equatable {
    package enum Kind: Equatable { case linear, logarithmic }

    package let kind: Kind
    /// The data values at the two ends of the axis.
    package let lower: Double
    package let upper: Double
    /// The pixel positions of `lower` and `upper` (upper may be the smaller, as on a y axis).
    package let pixels: (lower: Double, upper: Double)
    package let ticks: [Double]

    package static func == (a: Scale, b: Scale) -> Bool {
        a.kind == b.kind && a.lower == b.lower && a.upper == b.upper && a.ticks == b.ticks
            && a.pixels.lower == b.pixels.lower && a.pixels.upper == b.pixels.upper
    }

    /// The pixel position of `value`.
    package func position(_ value: Double) -> Double {
        let fraction = kind == .linear
            ? (value - lower) / (upper - lower)
            : (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        return pixels.lower + fraction * (pixels.upper - pixels.lower)
    }

    /// A linear scale from a round number at or below the smallest of `values` to one at or
    /// above the largest, with about `tickCount` ticks. A single value is widened by 10% each
    /// way (0 to 0...1); no values at all give 0...1.
    package static func linear(covering values: [Double], pixels: (lower: Double, upper: Double), tickCount: Int = 5) -> Scale {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if low == high {
            let widen = low == 0 ? 1 : abs(low) * 0.1
            (low, high) = (low == 0 ? 0 : low - widen, high + widen)
        }
        let step = niceStep((high - low) / Double(max(1, tickCount)))
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        let ticks = stride(from: first, through: last, by: 1).map { $0 * step }
        return Scale(kind: .linear, lower: first * step, upper: last * step, pixels: pixels, ticks: ticks)
    }

    /// A base-10 logarithmic scale over whole decades around the positive `values`; ticks at
    /// each power of ten, and at 2 and 5 times it when the range spans fewer than three decades.
    package static func logarithmic(covering values: [Double], pixels: (lower: Double, upper: Double)) -> Scale {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        let low = (log10(positive.min() ?? 1)).rounded(.down)
        var high = (log10(positive.max() ?? 10)).rounded(.up)
        if high <= low { high = low + 1 }
        let multiples: [Double] = high - low < 3 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        for exponent in stride(from: low, through: high, by: 1) {
            for multiple in multiples {
                let tick = multiple * pow(10, exponent)
                if tick <= pow(10, high) * 1.000001 { ticks.append(tick) }
            }
        }
        return Scale(kind: .logarithmic, lower: pow(10, low), upper: pow(10, high), pixels: pixels, ticks: ticks)
    }

    /// The distance between ticks: 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
    package static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, log10(raw).rounded(.down))
        let normalised = raw / magnitude
        let nice: Double = normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 2.5 ? 2.5 : normalised <= 5 ? 5 : 10
        return nice * magnitude
    }
}
