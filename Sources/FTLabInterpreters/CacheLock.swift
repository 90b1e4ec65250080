import Foundation
import FTLabCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` holding an exclusive `flock` on `<cache>/lock`, so that two `ftlab lab pythons`
/// never build into the same prefix; calls `waiting` first when another process holds it.
package func withCacheLock<T, E: Error>(
    _ cache: CacheDirectory, waiting: (String) -> Void, _ body: () async throws(E) -> T
) async throws(E) -> T {
    let path = "\(cache.root)/lock"
    try? FileManager.default.createDirectory(atPath: cache.root, withIntermediateDirectories: true)
    let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    defer { if fd >= 0 { close(fd) } }
    if fd >= 0, flock(fd, LOCK_EX | LOCK_NB) != 0 {
        waiting(path)
        _ = flock(fd, LOCK_EX)
    }
    return try await body()
}
