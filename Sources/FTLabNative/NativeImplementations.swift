/// The workload variants ftlab implements natively in Swift, run as the interpreter
/// `native-swift`: the ceiling each scaling plot can show beside the Python builds.
public enum NativeImplementations {
    /// The `--python` value and the CSV's `interpreter` label of native runs.
    public static let label = "native-swift"

    private static let factories: [String: @Sendable (NativeSettings) throws(NativeError) -> any NativeWorkload] = [
        "log-processing/partitioned": { settings throws(NativeError) in try PartitionedLogs(settings) },
        "buffered-copy/independent": { settings throws(NativeError) in try IndependentCopy(settings) },
    ]

    /// `workload/variant` of every native implementation, sorted.
    public static var implemented: [String] { factories.keys.sorted() }

    public static func implements(workload: String, variant: String) -> Bool {
        factories["\(workload)/\(variant)"] != nil
    }

    /// Why a configuration cannot run natively (nil: it can).
    public static func refusal(workload: String, variant: String, allocator: String) -> String? {
        guard implements(workload: workload, variant: variant) else {
            return "\(label) has no implementation of \(workload)/\(variant) (it implements \(implemented.joined(separator: ", ")))"
        }
        guard allocator == "system" else {
            return "\(label) runs only with the system allocator (--allocator \(allocator) applies to CPython)"
        }
        return nil
    }

    package static func make(workload: String, variant: String, settings: NativeSettings) throws(NativeError) -> any NativeWorkload {
        guard let factory = factories["\(workload)/\(variant)"] else {
            throw .usage("\(label) has no implementation of \(workload)/\(variant); it implements \(implemented.joined(separator: ", "))")
        }
        return try factory(settings)
    }
}
