import Foundation

/// The one way ftlab speaks on standard error: `ftlab: warning: ...`, `ftlab: error: ...`,
/// `ftlab: ...`. Standard output carries results only.
public enum Diagnostics {
    /// `ftlab: warning: TEXT`.
    public static func warning(_ text: String) { write("warning: \(text)") }

    /// `ftlab: error: TEXT`.
    public static func error(_ text: String) { write("error: \(text)") }

    /// `ftlab: TEXT` (a note, e.g. a skipped configuration).
    public static func note(_ text: String) { write(text) }

    /// A progress line as it is (`PREFIX: TEXT` is the caller's).
    public static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data("ftlab: \(text)\n".utf8))
    }
}
