import Foundation
import Testing

/// What a test needs beyond the test bundle and its fixtures. Untagged tests are unit tests:
/// pure logic on fixtures, in this process. Every tagged suite or test also carries
/// `.skippedInUnitRuns`, so `make test-unit` (`FTLAB_UNIT_ONLY=1`) runs the untagged ones only.
extension Tag {
    /// Starts other programs: the ftlab binary, interpreters, servers, host tools (`ldconfig`,
    /// `dpkg-query`, `git`, `tar`, `sha256sum`, `bwrap`, `/bin/true`).
    @Tag static var integration: Self
    /// Needs the lab interpreter pair built (`ftlab lab pythons`).
    @Tag static var needsLab: Self
    /// Needs linux-perf; without it the test is skipped or checks the fallback.
    @Tag static var needsPerf: Self
    /// Needs headless Chromium.
    @Tag static var needsBrowser: Self
    /// Needs the network: PyPI or the Debian archive.
    @Tag static var network: Self
    /// Starts a one-node Slurm (lab/slurm-up.sh: root; installs slurm-wlm and munge if missing).
    @Tag static var slurm: Self
}

/// Whether this run is the unit loop (`FTLAB_UNIT_ONLY=1`, as `make test-unit` sets it).
let unitRunOnly = ProcessInfo.processInfo.environment["FTLAB_UNIT_ONLY"] == "1"

extension Trait where Self == ConditionTrait {
    /// Skips the suite or test when `FTLAB_UNIT_ONLY=1`; attached beside every `.tags(...)`.
    static var skippedInUnitRuns: Self {
        .disabled(if: unitRunOnly, "a unit run (FTLAB_UNIT_ONLY=1) skips tagged tests")
    }
}
