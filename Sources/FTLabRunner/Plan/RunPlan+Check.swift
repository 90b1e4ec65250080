import Foundation
import FTLabCore
import FTLabInterpreters
import FTLabHarness

extension RunPlan {
    /// Asks the harness (`run.py --check`) about every configuration whose params differ from its
    /// workload's defaults (e.g. `--param lines=abc`, `--param app=myapp:app`), once per (python,
    /// variant, params): a value the workload refuses, an app that does not import, a callable that
    /// is neither WSGI nor ASGI, a bad request-file line is bad input, thrown (exit 2) before
    /// anything is measured. A batch workload is refused only when the harness calls it a bad
    /// argument (a `ValueError` from `create()`).
    public func checkParameters(harnessScript: String) async throws(WorkloadError) {
        var seen = Set<String>()
        for c in configurations where c.interpreter.build != .native {
            if case .failed = c.packages { continue }
            let defaults = Dictionary(uniqueKeysWithValues: c.workload.manifest.params.map { ($0.name, $0.default) })
            guard c.params.contains(where: { defaults[$0.key] != $0.value }) else { continue }
            // A project's generated workload (`ftlab project`) takes only the parameters ftlab
            // wrote for it (its checkout, pytest's options): nothing to ask its harness, per test.
            if c.workload.manifest.params.contains(where: { $0.name == ProjectWorkloadFolder.runnerParameter }) { continue }
            let key = [c.pythonPath, c.workload.directory, c.variant, c.paramsText].joined(separator: "\n")
            guard seen.insert(key).inserted else { continue }
            var arguments = ["-X", "faulthandler", harnessScript, "--workload-dir=\(c.workload.directory)",
                             "--variant=\(c.variant)", "--threads", "1", "--samples", "1", "--warmups", "0", "--check"]
            for (name, value) in c.params.sorted(by: { $0.key < $1.key }) { arguments += ["--param=\(name)=\(value)"] }
            var environment = PackageInstaller.cleanEnvironment
            environment[WorkloadManifest.harnessEnvironmentKey] = c.workload.manifest.harnessJSON(variant: c.variant)
            environment.merge(c.workload.harnessEnvironment) { _, script in script }
            let outcome = await HostCommand(c.pythonPath, arguments, environment: environment).run()
            let selector = "\(c.workload.name)/\(c.variant)"
            guard let outcome else { throw .rejectedParameters(selector: selector, message: "cannot start \(c.pythonPath)") }
            if outcome.succeeded { continue }
            // A batch workload is refused only for a bad argument (exit 2); anything else (an
            // import that fails on one interpreter) is left to its processes, recorded as failed rows.
            if c.workload.manifest.kind != .server && outcome.status != 2 { continue }
            let failure = HarnessTranscript.parse(outcome.standardOutput).0.failure
            var message = failure?.message ?? outcome.standardError.lastLines(6)
            if message.hasPrefix("UsageError: ") { message.removeFirst("UsageError: ".count) }
            throw .rejectedParameters(selector: selector, message: message)
        }
    }
}
