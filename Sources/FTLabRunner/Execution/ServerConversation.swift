import FTLabCore
import FTLabHarness
/// The runner's side of a server workload's conversation (Workloads/_harness/PROTOCOL.md,
/// "Server workloads"): `hello` and `listening` from the harness, then `usage` and `stop`
/// commands on its stdin, each answered on the protocol channel within a deadline.
package struct ServerConversation {
    /// Why the conversation ended early.
    package enum Problem: Error {
        /// The process closed its stdout: it exited (the transcript and the exit say why).
        case ended
        /// Nothing came in time: what was awaited, and how long.
        case silent(String)
        case violation(ProtocolError)
        /// The harness sent an `error` (kept in the transcript).
        case failed
    }

    package let pipe: ProcessPipe
    package private(set) var transcript = HarnessTranscript()

    package init(pipe: ProcessPipe) {
        self.pipe = pipe
    }

    /// Reads `hello` and `listening`.
    package mutating func awaitListening(within seconds: Double) throws(Problem) -> HarnessListening {
        while true {
            if case .listening(let listening) = try next(within: seconds, waitingFor: "the server's port (its listening message)") { return listening }
        }
    }

    /// Asks for the server's cumulative counters.
    package mutating func usage(within seconds: Double) throws(Problem) -> HarnessUsage {
        guard pipe.send("usage") else { throw .ended }
        let message = try next(within: seconds, waitingFor: "a usage reply")
        guard case .usage(let usage) = message else { throw .violation(.outOfOrder(line: pipe.lines.last ?? "", reason: "expected usage")) }
        return usage
    }

    /// Stops the server and reads its `bye`. With `client` (the answers the client received,
    /// the requests it gave up on) the server checks its served count against them.
    package mutating func stop(client: (responses: Int, abandoned: Int)? = nil, within seconds: Double) throws(Problem) -> HarnessBye {
        guard pipe.send(client.map { "stop \($0.responses) \($0.abandoned)" } ?? "stop") else { throw .ended }
        let message = try next(within: seconds, waitingFor: "the server's bye")
        guard case .bye(let bye) = message else { throw .violation(.outOfOrder(line: pipe.lines.last ?? "", reason: "expected bye")) }
        return bye
    }

    /// Adds a sample the runner measured.
    package mutating func record(_ sample: HarnessSample) {
        transcript.samples.append(sample)
    }

    private mutating func next(within seconds: Double, waitingFor what: String) throws(Problem) -> HarnessMessage {
        switch pipe.readLine(within: seconds) {
        case .end:
            throw .ended
        case .timedOut:
            throw .silent("\(what) did not come within \(Self.format(seconds)) s")
        case .line(let line):
            do {
                let message = try HarnessMessage.parse(line)
                try transcript.accept(message, line: line)
                if case .error = message { throw Problem.failed }
                return message
            } catch let error as ProtocolError {
                throw .violation(error)
            } catch {
                throw .failed
            }
        }
    }

    package static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
