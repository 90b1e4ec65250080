import Foundation
import FTLabCore

/// Runs a short helper command, stdout and stderr together; nil when it cannot be started.
/// For probes, not workloads.
package func runQuietly(_ path: String, _ arguments: [String]) async -> (status: Int32, output: String)? {
    guard let outcome = await HostCommand(path, arguments, output: .captured, error: .withOutput).run() else { return nil }
    return (outcome.status, outcome.standardOutput)
}

/// Runs a helper with its stdout in `output` and its stderr discarded; returns its exit status
/// (nil when it cannot be started).
package func runToFile(_ path: String, _ arguments: [String], output: String) async -> Int32? {
    await HostCommand(path, arguments, output: .file(output), error: .discarded).run()?.status
}
