import Foundation

/// Order statistics and means of a sample of measurements.
public enum Descriptive {
    /// The median of `values`; NaN when empty.
    public static func median(_ values: [Double]) -> Double {
        quantile(values, 0.5)
    }

    /// The `p` quantile (0...1) of `values` by linear interpolation between order statistics
    /// (Hyndman & Fan type 7, NumPy's default); NaN when empty.
    public static func quantile(_ values: [Double], _ p: Double) -> Double {
        quantile(sorted: values.sorted(), p)
    }

    /// `quantile(_:_:)` for values already sorted ascending.
    public static func quantile(sorted values: [Double], _ p: Double) -> Double {
        precondition((0...1).contains(p), "quantile \(p) is outside 0...1")
        guard !values.isEmpty else { return .nan }
        let position = p * Double(values.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        let fraction = position - Double(lower)
        return values[lower] + (values[upper] - values[lower]) * fraction
    }

    /// The geometric mean of positive `values` (the mean of ratios); NaN when empty or when
    /// any value is not positive.
    public static func geometricMean(_ values: [Double]) -> Double {
        guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else { return .nan }
        return exp(values.reduce(0) { $0 + log($1) } / Double(values.count))
    }
}
