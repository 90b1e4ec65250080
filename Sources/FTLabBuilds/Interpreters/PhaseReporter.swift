import Foundation
import FTLabCore

/// Shows build progress on stderr (stdout stays for results, such as `--fetch-only`'s paths), one line per phase with its elapsed seconds:
/// updated in place every second on a terminal, printed once when the phase ends otherwise.
public struct PhaseReporter: Sendable {
    package let inPlace: Bool
    /// No phase lines (`--quiet`); ``say(_:)`` still prints.
    package let quiet: Bool

    /// `inPlace` defaults to whether stderr is a terminal.
    public init(inPlace: Bool = isatty(STDERR_FILENO) != 0, quiet: Bool = false) {
        self.inPlace = inPlace && !quiet
        self.quiet = quiet
    }

    /// Prints a line of text.
    public func say(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Runs `body` as phase `phase` of `subject` and reports its time and outcome.
    package func phase<T, E: Error>(
        _ subject: String, _ phase: String, _ body: () async throws(E) -> T
    ) async throws(E) -> T {
        let start = ContinuousClock.now
        let ticker: Task<Void, Never>? =
            inPlace
            ? Task {
                while !Task.isCancelled {
                    write("\r\u{1B}[K" + line(subject, phase, start, "..."))
                    try? await Task.sleep(for: .seconds(1))
                }
            } : nil
        let result: Result<T, E>
        do throws(E) { result = .success(try await body()) } catch { result = .failure(error) }
        ticker?.cancel()
        await ticker?.value
        let outcome = if case .success = result { "ok" } else { "FAILED" }
        if quiet, case .success = result { return try result.get() }
        write((inPlace ? "\r\u{1B}[K" : "") + line(subject, phase, start, outcome) + "\n")
        return try result.get()
    }

    private func line(_ subject: String, _ phase: String, _ start: ContinuousClock.Instant, _ state: String) -> String {
        let seconds = MonotonicClock.seconds(since: start)
        return subject.padding(toLength: 17, withPad: " ", startingAt: 0)
            + phase.padding(toLength: 10, withPad: " ", startingAt: 0)
            + String(format: "%6.1fs  ", seconds) + state
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
