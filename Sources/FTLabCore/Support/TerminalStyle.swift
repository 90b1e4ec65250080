import Foundation

/// ANSI styles for text reports, used only when colour is asked for.
public enum TerminalStyle: String, Sendable {
    case red = "31", green = "32", yellow = "33", bold = "1"

    /// `text` wrapped in this style's escape codes.
    package func apply(_ text: String) -> String {
        "\u{1B}[\(rawValue)m\(text)\u{1B}[0m"
    }

    /// Whether output to `descriptor` should be coloured: only on a terminal, and never when
    /// the `NO_COLOR` environment variable is set to a non-empty value (an empty one is as
    /// good as unset, as no-color.org says).
    public static func colorEnabled(for descriptor: Int32 = STDOUT_FILENO,
                                    environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        colorAllowed(environment: environment) && isatty(descriptor) == 1
    }

    /// False when `NO_COLOR` is set and not empty.
    public static func colorAllowed(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        (environment["NO_COLOR"] ?? "").isEmpty
    }
}
