import Foundation
import FTLabCore
import FTLabHarness

extension WorkUnitRunner {
    /// Runs a unit whose process measures several variants one after another (a `process_group`)
    /// and judges each: one outcome per member, in order. The harness opens each variant's part
    /// of the transcript with a `variant` line (PROTOCOL.md, "Several variants"); a variant whose
    /// part ends with its `bye` or `error` is judged on it alone, the one the process was in when
    /// it died or timed out gets the process's ending, and those never reached are failed rows
    /// that say where the process stopped.
    public func runShared(_ unit: WorkUnit) async throws(ExecutionError) -> [ProcessOutcome] {
        if case .failed(let reason) = unit.configuration.packages {
            return unit.members.map { Self.unmeasured(WorkUnit(configuration: $0, process: unit.process), reason: reason) }
        }
        let result = try await ProcessRunner.run(spec(for: unit))
        let parts = Self.variantParts(result.protocolOutput)
        var outcomes: [ProcessOutcome] = []
        var stoppedIn: String?
        for member in unit.members {
            let memberUnit = WorkUnit(configuration: member, process: unit.process)
            guard let part = parts.last(where: { $0.variant == member.variant }) else {
                let reason = stoppedIn.map { "not measured: the process stopped while measuring \($0)" }
                    ?? "not measured: the process \(Self.describe(result.ending)) before reaching it"
                    + (result.stderrTail.isEmpty ? "" : "; stderr: \(result.stderrTail)")
                outcomes.append(Self.unmeasured(memberUnit, reason: reason))
                continue
            }
            let (transcript, protocolError) = HarnessTranscript.parse(part.text)
            let finished = transcript.bye != nil || transcript.failure != nil || protocolError != nil
            var memberResult = result
            memberResult.protocolOutput = part.text
            if finished {
                memberResult.ending = .exited(transcript.failure == nil && protocolError == nil ? 0 : 1)
                memberResult.stderrTail = ""
            }
            let verdict = Self.judge(unit: memberUnit, result: memberResult, transcript: transcript, protocolError: protocolError,
                                     timeoutSeconds: timeoutSeconds * Double(unit.members.count))
            if !finished { stoppedIn = "\(member.workload.name)/\(member.variant) (\(verdict.message.prefix(200)))" }
            outcomes.append(ProcessOutcome(unit: memberUnit, result: memberResult, transcript: transcript,
                                           verdict: namingMemory(verdict)))
        }
        return outcomes
    }

    /// The protocol output split at its `variant` lines: each variant's name and its lines.
    package static func variantParts(_ output: String) -> [(variant: String, text: String)] {
        var parts: [(variant: String, text: String)] = []
        for raw in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.contains("\"variant\""), let name = HarnessVariantOpening.name(openedBy: line) {
                parts.append((name, ""))
            } else if !parts.isEmpty {
                parts[parts.count - 1].text += line + "\n"
            }
        }
        return parts
    }

    /// An outcome for a configuration that ran no process of its own: a failed row with `reason`.
    static func unmeasured(_ unit: WorkUnit, reason: String) -> ProcessOutcome {
        ProcessOutcome(unit: unit, result: ProcessResult(ending: .exited(1), protocolOutput: "", stderrTail: "", elapsedSeconds: 0),
                       transcript: HarnessTranscript.parse("").0, verdict: .failed(reason))
    }
}
