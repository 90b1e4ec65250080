import Foundation

/// ANSI styles for text reports, used only when colour is asked for.
public enum TerminalStyle: String, Sendable {
    case red = "31", green = "32", yellow = "33", bold = "1"

    /// `text` wrapped in this style's escape codes.
    package func apply(_ text: String) -> String {
        "\u{1B}[\(rawValue)m\(text)\u{1B}[0m"
    }

    /// Whether output to `descriptor` should be coloured: only on a terminal, and never when
    /// the `NO_COLOR` environment variable is set (to anything).
    public static func colorEnabled(for descriptor: Int32 = STDOUT_FILENO,
                                    environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        environment["NO_COLOR"] == nil && isatty(descriptor) == 1
    }
}
