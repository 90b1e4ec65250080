/// CPython release numbers (`3.14.8`, or a series `3.14`) compared numerically, part by part,
/// so 3.9 comes before 3.13.
package enum ReleaseNumber {
    /// Whether release `a` comes before release `b`; a series comes before its releases
    /// (`3.13` before `3.13.5`).
    package static func precedes(_ a: String, _ b: String) -> Bool {
        parts(a).lexicographicallyPrecedes(parts(b))
    }

    private static func parts(_ version: String) -> [Int] {
        version.split(separator: ".").compactMap { Int($0) }
    }
}
