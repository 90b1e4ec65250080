import Foundation

/// How figures are written in reports: few significant digits, units people read at a glance.
package enum NumberFormat {
    /// Three significant digits with an SI suffix: 1234567 -> "1.23M", 0.5 -> "0.500".
    package static func si(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        for (scale, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= scale * 0.9995 {
            return significant(value / scale) + suffix
        }
        return significant(value)
    }

    /// A fraction as a percentage: 0.0512 -> "5.1%", or "+5.1%" when `signed`.
    package static func percent(_ fraction: Double, digits: Int = 1, signed: Bool = false) -> String {
        guard fraction.isFinite else { return "-" }
        let text = String(format: "%.\(digits)f%%", fraction * 100)
        return signed && fraction >= 0 ? "+" + text : text
    }

    /// A ratio as a multiplier: 1.234 -> "1.23x".
    package static func ratio(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2fx", value) : "-"
    }

    /// A size in KiB in the largest binary unit that keeps it above 1: 20480 -> "20.0 MiB".
    package static func kibibytes(_ kib: Double) -> String {
        guard kib.isFinite else { return "-" }
        if kib >= 1024 * 1024 { return String(format: "%.2f GiB", kib / 1024 / 1024) }
        if kib >= 1024 { return String(format: "%.1f MiB", kib / 1024) }
        return String(format: "%.0f KiB", kib)
    }

    /// A p-value: "<0.001" below a thousandth, otherwise three decimals.
    package static func pValue(_ p: Double) -> String {
        p < 0.001 ? "<0.001" : String(format: "%.3f", p)
    }

    private static func significant(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = magnitude >= 99.95 ? 0 : magnitude >= 9.995 ? 1 : magnitude >= 0.9995 ? 2 : 3
        return String(format: "%.\(decimals)f", value)
    }
}
