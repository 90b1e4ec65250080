import Dispatch

extension Array where Element: Sendable {
    /// `map` with the elements spread over every core; the results come back in order. For a
    /// costly `transform` that touches nothing shared (the statistics of each configuration).
    package func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 1 else { return map(transform) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let slots = Slots(base: buffer.baseAddress!), elements = self
            withoutActuallyEscaping(transform) { transform in
                DispatchQueue.concurrentPerform(iterations: elements.count) { index in
                    // Each index is written by one iteration only.
                    (slots.base + index).initialize(to: transform(elements[index]))
                }
            }
            initialized = count
        }
    }
}

/// The result buffer, shared by the iterations that each fill one slot.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
