extension Sequence {
    /// Groups the elements by `key`: groups in order of their first element's appearance,
    /// elements within a group in sequence order.
    public func groupedInOrder<Key: Hashable>(by key: (Element) throws -> Key) rethrows -> [(key: Key, members: [Element])] {
        var order: [Key] = []
        var members: [Key: [Element]] = [:]
        for element in self {
            let k = try key(element)
            if members[k] == nil { order.append(k) }
            members[k, default: []].append(element)
        }
        return order.map { ($0, members[$0]!) }
    }

    /// The names among `candidates` whose `value` is not the same for every element, in
    /// `candidates` order ("the columns that vary").
    public func varying(_ candidates: [String], value: (Element, String) -> String) -> [String] {
        candidates.filter { name in Set(self.map { value($0, name) }).count > 1 }
    }
}
