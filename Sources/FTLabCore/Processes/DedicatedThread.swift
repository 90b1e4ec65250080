import Foundation

/// Runs blocking `work` on a thread of its own and awaits its result, so blocking system calls
/// (socket polls, pipe reads with deadlines) never hold one of the concurrency pool's threads.
public func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
