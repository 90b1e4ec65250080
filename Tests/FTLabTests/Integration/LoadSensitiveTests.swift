import Testing
import FTLabRunner

/// The end-to-end suites whose checks need threads that really run in parallel (scaling,
/// contention, pinning), and that measure again when other tests take the CPUs: explain, run,
/// http-handling, buffered-copy and native-swift. Nested here (each in an extension, in its
/// own file) so that none of them runs alongside another; the rest of the tests still may.
@Suite("Load-sensitive suites, one at a time", .serialized, .tags(.integration), .skippedInUnitRuns)
enum LoadSensitiveTests {}
