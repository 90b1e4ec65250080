import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// Ctrl-C and SIGTERM for a long-running command (`ftlab serve`): the first asks for a clean
/// stop, a second kills every live process group at once.
public final class GracefulStop: @unchecked Sendable {
    private let lock = NSLock()
    private var signals = 0

    /// Installs the handlers (through ``HelperSignals``, which keeps them for the rest of the
    /// process) and returns the stop they count into.
    public static func install() -> GracefulStop {
        let stop = GracefulStop()
        HelperSignals.claim { _ in stop.received() }
        return stop
    }

    /// True once a stop was asked for.
    public var requested: Bool { lock.withLock { signals > 0 } }

    private func received() {
        let count = lock.withLock { () -> Int in
            signals += 1
            return signals
        }
        if count > 1 { LiveProcesses.shared.killAll() }
    }
}
