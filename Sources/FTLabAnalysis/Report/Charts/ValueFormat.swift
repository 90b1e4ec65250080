import Foundation
import FTLabCore

/// How a chart writes its y values: on the axis ticks and in tooltips.
package enum ValueFormat {
    /// 1.5M, 250k: throughput.
    case number
    /// 75%: parallel efficiency.
    case percent
    /// 1.25x: speedup and ratios.
    case ratio
    /// 850 µs, 1.2 ms: latency held in microseconds.
    case microseconds

    /// The tick labels of `scale`, with as many decimals as the tick step needs.
    package func ticks(_ scale: Scale) -> [String] {
        let step = scale.ticks.count > 1 ? scale.ticks[1] - scale.ticks[0] : 1
        switch self {
        case .number:
            let largest = scale.ticks.map(abs).max() ?? 0
            let (divisor, suffix): (Double, String) =
                largest >= 1e9 ? (1e9, "G") : largest >= 1e6 ? (1e6, "M") : largest >= 1e3 ? (1e3, "k") : (1, "")
            return scale.ticks.map { $0 == 0 ? "0" : Self.fixed($0 / divisor, step: step / divisor) + suffix }
        case .percent:
            return scale.ticks.map { $0 == 0 ? "0%" : Self.fixed($0 * 100, step: step * 100) + "%" }
        case .ratio:
            return scale.ticks.map { $0 == 0 ? "0x" : Self.fixed($0, step: step) + "x" }
        case .microseconds:
            return scale.ticks.map(Self.duration)
        }
    }

    /// One value for a tooltip or a note, to about three significant digits.
    package func value(_ value: Double) -> String {
        switch self {
        case .number: NumberFormat.si(value)
        case .percent: NumberFormat.percent(value, digits: 0)
        case .ratio: NumberFormat.ratio(value)
        case .microseconds: Self.duration(value)
        }
    }

    /// `value` with the fewest decimals that still tell ticks `step` apart.
    package static func fixed(_ value: Double, step: Double) -> String {
        var decimals = 0
        while decimals < 6 {
            let scaled = abs(step) * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", value)
    }

    /// Microseconds in the unit that reads best: 850 µs, 1.2 ms, 3 s.
    package static func duration(_ microseconds: Double) -> String {
        guard microseconds.isFinite else { return "-" }
        if microseconds >= 1e6 { return String(format: "%.3g s", microseconds / 1e6) }
        if microseconds >= 1e3 { return String(format: "%.3g ms", microseconds / 1e3) }
        return String(format: "%.3g µs", microseconds)
    }
}
