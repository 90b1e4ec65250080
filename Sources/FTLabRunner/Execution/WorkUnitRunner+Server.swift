import FTLabCore
import FTLabHarness
import FTLabLoadGen
extension WorkUnitRunner {
    /// How long a server has to report its port: 30 s, or half the process timeout when that
    /// is shorter (so a silent server is `failed` with its reason, not `timeout`).
    package var startupSeconds: Double { min(30, timeoutSeconds / 2) }

    /// Runs a server workload's unit: the harness starts the server, ftlab's load generator
    /// measures it (PROTOCOL.md, "Server workloads"), and the process is judged like a batch one
    /// plus the client's checks.
    package func runServer(_ unit: WorkUnit) async throws(ExecutionError) -> ProcessOutcome {
        let configuration = unit.configuration
        var options: LoadOptions
        do {
            options = try LoadOptions.parse(params: configuration.params)
        } catch {
            let result = ProcessResult(ending: .exited(2), protocolOutput: "", stderrTail: "", elapsedSeconds: 0)
            return ProcessOutcome(unit: unit, result: result, transcript: HarnessTranscript(), verdict: .failed(error.description))
        }
        options.clientCPUs = configuration.placement.clientCPUs
        let driver = ServerDriver(repetition: repetition, options: options, startupSeconds: startupSeconds,
                                  shouldStop: { LiveProcesses.shared.interrupted })
        let (drive, result) = try await ProcessRunner.converse(spec(for: unit)) { driver.run($0) }
        let verdict = namingMemory(Self.judgeServer(unit: unit, result: result, drive: drive, timeoutSeconds: timeoutSeconds))
        return ProcessOutcome(unit: unit, result: result, transcript: drive.transcript, verdict: verdict, load: drive.load)
    }

    /// A server process's verdict: the batch checks (hello, verified bye, threads, placement,
    /// allocator), after the problems only the driver saw, then the client's checks: every
    /// measured sample got answers, and no answer was wrong (status, body length, body CRC-32).
    package static func judgeServer(unit: WorkUnit, result: ProcessResult, drive: ServerDriver.Outcome,
                            timeoutSeconds: Double) -> ProcessVerdict {
        let endedByRunner = result.ending == .timedOut || result.ending == .interrupted
        if !endedByRunner, let problem = drive.problem {
            return .failed(problem + (result.stderrTail.isEmpty ? "" : "; stderr: \(result.stderrTail)"))
        }
        let verdict = judge(unit: unit, result: result, transcript: drive.transcript, protocolError: drive.protocolError,
                            timeoutSeconds: timeoutSeconds)
        guard verdict == .ok else { return verdict }
        let status = drive.load.reduce(0) { $0 + $1.errors.badStatus }
        let body = drive.load.reduce(0) { $0 + $1.errors.badBody }
        if status + body > 0, let first = drive.load.lazy.compactMap(\.firstWrong).first {
            let parts = [(status, "status"), (body, "body")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
            return .failed("\(status + body) wrong response\(status + body == 1 ? "" : "s") (\(parts.joined(separator: ", "))), first: \(first)")
        }
        if let (index, empty) = drive.load.enumerated().first(where: { $0.element.responses == 0 }) {
            let errors = empty.errors.summary
            return .failed("measured sample \(index + 1) got no responses\(errors.isEmpty ? "" : " (\(errors))")")
        }
        return .ok
    }
}
