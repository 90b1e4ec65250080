/// ftlab's own Swift implementation of a workload variant: the same contract as a
/// `workload.py` object (PROTOCOL.md), run by `ftlab _native` on real threads.
package protocol NativeWorkload: AnyObject, Sendable {
    /// Builds the input; not timed.
    func prepare() async throws(NativeError)
    /// One batch on worker `thread`; returns the ops it completed. Called on every worker
    /// thread at once, each with its own index; a worker touches only its own state.
    func run(thread: Int, batch: Int) throws(NativeError) -> Int
    /// Checks everything the process did.
    func verify() throws(NativeError) -> NativeVerdict
    /// Removes what `prepare()` left outside the process; safe to call more than once.
    func cleanup()
}

/// What `verify()` found: the `bye` message's `verified`, `checksum`, `expected`, `message`.
package struct NativeVerdict: Equatable {
    package var ok: Bool
    package var checksum: String
    package var expected: String
    package var detail: String = ""
}

/// What a native implementation is created with: the same inputs `create()` gets in Python.
package struct NativeSettings: Sendable {
    package var threads: Int
    package var params: [String: String]
    package var seed: Int
    /// The workload's folder (holds `workload.toml` and `workload.py`).
    package var directory: String
    /// The Python preferred for generating input (``NativeArguments/inputPython``).
    package var inputPython: String? = nil

    /// A positive integer parameter (the `positive_int` of the Python workloads).
    package func positiveInt(_ name: String) throws(NativeError) -> Int {
        let text = params[name] ?? ""
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text), value >= 1 else {
            throw .badParameter("param '\(name)' must be a positive integer, not '\(text)'")
        }
        return value
    }
}
