import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Facts about where output goes.
public enum Terminal {
    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    public static var colorEnabled: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}
