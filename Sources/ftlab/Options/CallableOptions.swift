import ArgumentParser
import FTLabHarness

/// `--callable` and what goes with it: one function as a workload (`ftlab run`).
struct CallableOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Run one function as a workload, no manifest to write: every worker thread calls MODULE.FUNCTION() "
            + "with no arguments in calibrated batches; its result at 1 thread is the expected result at N threads. "
            + "Rows: workload MODULE, variant FUNCTION.", valueName: "MODULE:FUNCTION"))
    var callable: String?

    @Option(name: .customLong("callable-dir"), help: ArgumentHelp(
        "With --callable: the folder MODULE is imported from (default: the current directory).", valueName: "DIR"))
    var callableDir: String?

    @Option(name: .customLong("requirement"), help: ArgumentHelp(
        "With --callable: a PyPI requirement (PEP 508) installed into a venv per interpreter. Repeatable.", valueName: "PKG"))
    var requirement: [String] = []

    @Option(name: .customLong("requirements"), help: ArgumentHelp(
        "With --callable: a requirements file, or a project folder (its requirements.txt, else pyproject.toml's "
            + "[project] dependencies).", valueName: "FILE|DIR"))
    var requirementsSource: String?

    @Flag(name: .customLong("no-result-check"), help: ArgumentHelp(
        "With --callable: do not check results (a function whose result varies: time, randomness); every row says "
            + "result_check=off."))
    var noResultCheck = false

    func validate() throws {
        _ = try target()
    }

    /// The target (nil without `--callable`); an option that goes with it given alone is bad input.
    func target() throws -> CallableTarget? {
        do {
            guard let callable else {
                let alone = [("--callable-dir", callableDir != nil), ("--requirement", !requirement.isEmpty),
                             ("--requirements", requirementsSource != nil), ("--no-result-check", noResultCheck)]
                if let (option, _) = alone.first(where: \.1) { throw CallableError.withoutCallable(option: option) }
                return nil
            }
            return try CallableTarget(spec: callable, directory: callableDir, requirement: requirement,
                                      requirementsSource: requirementsSource, resultCheck: !noResultCheck)
        } catch let error as CallableError {
            throw ValidationError(error.description)
        }
    }
}
