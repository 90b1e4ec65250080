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
    private var sources: [DispatchSourceSignal] = []

    /// Installs the handlers; keep the returned value for as long as they should hold.
    public static func install() -> GracefulStop {
        let stop = GracefulStop()
        LiveProcesses.shared.claimSignals()
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.received() }
            source.resume()
            stop.sources.append(source)
        }
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
