import CNuma
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// Persistent worker threads, pinned one per planned CPU, that each run one batch per sample,
/// all released by one barrier: the harness's `Pool` (_ftlab_pool.py), on real threads.
package final class WorkerPool: @unchecked Sendable {
    /// What one worker reports; written only by its own thread, read by the main thread
    /// after the `done` barrier.
    package final class Slot: @unchecked Sendable {
        package var ops = 0
        package var finishedAt = 0
        package var seenCPUs = Set<Int>()
        package var allowedCPUs: [Int] = []
    }

    package let slots: [Slot]
    private let start: ThreadBarrier
    private let done: ThreadBarrier
    private let work: @Sendable (Int, Int) throws(NativeError) -> Int
    private let onFailure: @Sendable (NativeError) -> Never
    // Set by the main thread before it passes `start`; read by the workers after it.
    private var batch = 0
    private var stopping = false
    private var threads: [Thread] = []

    /// Starts `count` workers; worker i pins itself to `cpus[i]` (no pinning when `cpus` is
    /// empty) and then calls `work(i, batch)` once per sample. A worker's error goes to
    /// `onFailure`, which must end the process.
    package init(count: Int, cpus: [Int], work: @escaping @Sendable (Int, Int) throws(NativeError) -> Int,
         onFailure: @escaping @Sendable (NativeError) -> Never) {
        slots = (0..<count).map { _ in Slot() }
        start = ThreadBarrier(parties: count + 1)
        done = ThreadBarrier(parties: count + 1)
        self.work = work
        self.onFailure = onFailure
        for index in 0..<count {
            let cpu = cpus.isEmpty ? nil : cpus[index]
            let thread = Thread { [self] in self.loop(index: index, cpu: cpu) }
            thread.name = "ftlab-worker-\(index)"
            threads.append(thread)
            thread.start()
        }
    }

    private func loop(index: Int, cpu: Int?) {
        let slot = slots[index]
        do throws(NativeError) {
            if let cpu {
                var target = Int32(cpu)
                let status = ftlab_set_affinity(0, &target, 1)
                if status != 0 {
                    throw .pinning("cannot pin worker \(index) to CPU \(cpu): \(String(cString: strerror(status)))")
                }
            }
            slot.allowedCPUs = ProcessStats.allowedCPUs()
            while true {
                start.wait()
                if stopping { return }
                slot.ops = try work(index, batch)
                slot.finishedAt = Int(MonotonicClock.nanoseconds())
                if let seen = ProcessStats.currentCPU() { slot.seenCPUs.insert(seen) }
                done.wait()
            }
        } catch {
            onFailure(error)
        }
    }

    /// One batch on every worker: wall nanoseconds from the release to the last finish,
    /// per-worker ops, and process rusage around it.
    package func sample(batch: Int) -> (wallNanoseconds: Int, ops: [Int], before: rusage, after: rusage) {
        self.batch = batch
        let before = ProcessStats.usage()
        let releasedAt = Int(MonotonicClock.nanoseconds())
        start.wait()
        done.wait()
        let after = ProcessStats.usage()
        let wall = (slots.map(\.finishedAt).max() ?? releasedAt) - releasedAt
        return (wall, slots.map(\.ops), before, after)
    }

    /// Ends every worker (they exit after the next release).
    package func stop() {
        stopping = true
        start.wait()
    }
}
