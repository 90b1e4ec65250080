import Foundation

/// A reusable barrier for a fixed number of threads (`threading.Barrier` in run.py): the
/// last to arrive releases the others. Passing it orders every write made before it before
/// every read made after it, in all the threads.
package final class ThreadBarrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var waiting = 0
    private var generation = 0

    package init(parties: Int) {
        self.parties = parties
    }

    package func wait() {
        condition.lock()
        defer { condition.unlock() }
        let arrivedIn = generation
        waiting += 1
        if waiting == parties {
            waiting = 0
            generation += 1
            condition.broadcast()
            return
        }
        while generation == arrivedIn { condition.wait() }
    }
}
