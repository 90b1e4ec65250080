import FTLabCore
import FTLabHarness
import FTLabLoadGen
/// Drives one server process: waits for its port, learns the bodies the mix leaves to learn
/// (``BodyLearner``), sends warmup and measured samples of load with the load generator
/// (taking the server's counters around each), then stops it.
package struct ServerDriver: Sendable {
    /// What the conversation produced.
    package struct Outcome: Sendable {
        package var transcript = HarnessTranscript()
        package var protocolError: ProtocolError?
        /// Why the run could not be completed, when the transcript and exit do not say it.
        package var problem: String?
        /// The load of each measured sample, in order.
        package var load: [LoadSample] = []
    }

    package var repetition: Repetition
    package var options: LoadOptions
    /// How long the server has to report its port.
    package var startupSeconds: Double
    /// How long the harness has to answer a command.
    package var replySeconds: Double = 10
    package var shouldStop: @Sendable () -> Bool

    package func run(_ pipe: ProcessPipe) -> Outcome {
        var conversation = ServerConversation(pipe: pipe)
        var outcome = Outcome()
        var load: LoadGenerator?
        do {
            let listening = try conversation.awaitListening(within: startupSeconds)
            let port = UInt16(listening.port)
            let learned = try BodyLearner.learn(listening.requests, port: port, timeout: options.requestTimeout)
            let generator = try LoadGenerator(port: port, mix: learned.mix, options: options)
            load = generator
            outcome.load = try measure(generator, &conversation)
            generator.close()
            // The learning requests were served too.
            _ = try conversation.stop(client: (generator.responses + learned.responses, generator.abandoned), within: replySeconds)
            _ = pipe.waitForEnd(within: replySeconds)
        } catch let error as LoadGenError {
            load?.close()
            outcome.problem = error.description
        } catch let problem as ServerConversation.Problem {
            load?.close()
            switch problem {
            case .ended, .failed:
                // The transcript and the exit tell; let the process exit on its own before the
                // group is killed, so its exit status is its own.
                _ = pipe.waitForEnd(within: replySeconds)
            case .silent(let what): outcome.problem = what
            case .violation(let violation): outcome.protocolError = violation
            }
        } catch {
            load?.close()
            outcome.problem = "\(error)"
        }
        outcome.transcript = conversation.transcript
        return outcome
    }

    /// Warmups then measured samples; returns the measured samples' load.
    private func measure(_ load: LoadGenerator, _ conversation: inout ServerConversation) throws -> [LoadSample] {
        var measured: [LoadSample] = []
        var before = try conversation.usage(within: replySeconds)
        for index in 0..<(repetition.warmups + repetition.samples) where !shouldStop() {
            let sample = try load.sample(seconds: repetition.targetSeconds, shouldStop: shouldStop)
            let after = try conversation.usage(within: replySeconds)
            conversation.record(HarnessSample(
                index: index, warmup: index < repetition.warmups, batch: 0, ops: sample.responses,
                wallNanoseconds: Int(sample.wallSeconds * 1e9),
                perThreadOps: zip(after.perThreadServed, before.perThreadServed).map { $0 - $1 },
                cpuUserSeconds: after.cpuUserSeconds - before.cpuUserSeconds,
                cpuSysSeconds: after.cpuSysSeconds - before.cpuSysSeconds,
                ctxVoluntary: after.ctxVoluntary - before.ctxVoluntary,
                ctxInvoluntary: after.ctxInvoluntary - before.ctxInvoluntary))
            if index >= repetition.warmups { measured.append(sample) }
            before = after
        }
        return measured
    }
}
