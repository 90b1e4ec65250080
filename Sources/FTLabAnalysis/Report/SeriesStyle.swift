/// How a curve is drawn: its colour names the interpreter, its dash the other settings
/// (allocator, placement, parameters, environment, run) that tell curves of one
/// interpreter apart.
public struct SeriesStyle: Sendable, Equatable {
    /// A CSS colour.
    public let color: String
    /// An SVG `stroke-dasharray`; empty for a solid line.
    public let dash: String

    /// Colour-blind-safe colours (Okabe-Ito, then two neutrals), one per interpreter in
    /// order of first appearance.
    package static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#7F7F7F"]
    /// The native ceiling is always near-black.
    package static let nativeColor = "#222222"
    package static let dashes = ["", "8 4", "2 3", "10 3 2 3", "5 2 1 2"]

    /// The colour of the `index`th interpreter.
    package static func color(interpreterIndex index: Int) -> String {
        palette[index % palette.count]
    }

    /// The dash of the `index`th combination of other settings.
    package static func dash(_ index: Int) -> String {
        dashes[index % dashes.count]
    }
}
