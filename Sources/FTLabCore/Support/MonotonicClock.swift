import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one clock ftlab measures with: `CLOCK_MONOTONIC` for hot paths (load generator,
/// native workers), `ContinuousClock` (the same clock) for everything else.
public enum MonotonicClock {
    /// Nanoseconds on the monotonic clock; cheap enough to call per request.
    public static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// CPU time (user + system) of the calling thread, in seconds.
    public static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Seconds elapsed since `start`.
    public static func seconds(since start: ContinuousClock.Instant) -> Double {
        seconds(start.duration(to: .now))
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
