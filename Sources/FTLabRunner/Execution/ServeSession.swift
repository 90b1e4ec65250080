import FTLabCore
import FTLabHarness
/// `ftlab serve`: one server workload alone, no load, until asked to stop, so any client
/// (wrk, ab, curl, the user's own) can be pointed at it.
public struct ServeSession: Sendable {
    /// How the session ended.
    public enum Outcome: Sendable, Equatable {
        /// Stopped on request; the server's bye (its served count is in `checksum`).
        case stopped(HarnessBye)
        /// The server did not start or died; the reason, with the stderr tail.
        case failed(String)
    }

    public var unit: WorkUnit
    public var runner: WorkUnitRunner
    /// The port to bind; 0: any free port.
    public var port: Int
    /// The address to bind: loopback unless the user asks otherwise.
    public var host: String
    /// How long the server has to report its port.
    public var startupSeconds = 30.0

    public init(unit: WorkUnit, runner: WorkUnitRunner, port: Int, host: String = ServeSession.loopback) {
        self.unit = unit
        self.runner = runner
        self.port = port
        self.host = host
    }

    /// Where servers listen unless told otherwise.
    public static let loopback = "127.0.0.1"

    /// Whether `host` names this machine's loopback (127.0.0.0/8, ::1, localhost): only then
    /// does no other machine reach the server.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Starts the server, calls `onListening` once it listens, and serves until `shouldStop`
    /// turns true (polled a few times a second) or the server dies.
    public func run(shouldStop: @escaping @Sendable () -> Bool,
                    onListening: @escaping @Sendable (HarnessHello, HarnessListening) -> Void) async throws(ExecutionError) -> Outcome {
        var spec = runner.spec(for: unit)
        spec.arguments += ["--port", String(port), "--host", host]
        let startup = startupSeconds
        let (conversation, result) = try await ProcessRunner.converse(spec) { pipe in
            Self.serve(pipe, startupSeconds: startup, shouldStop: shouldStop, onListening: onListening)
        }
        if let bye = conversation.transcript.bye { return .stopped(bye) }
        let tail = result.stderrTail.isEmpty ? "" : "; stderr: \(result.stderrTail)"
        if let failure = conversation.transcript.failure {
            let at = failure.where.isEmpty ? "" : " at \(failure.where)"
            return .failed("the server failed: \(failure.message)\(at)\(tail)")
        }
        return .failed((conversation.problem ?? "the server \(WorkUnitRunner.describe(result.ending)) without a bye") + tail)
    }

    /// What the conversation left: the transcript and, when it ended early, why.
    package struct Conversation: Sendable {
        package var transcript: HarnessTranscript
        package var problem: String?
    }

    package static func serve(_ pipe: ProcessPipe, startupSeconds: Double, shouldStop: @Sendable () -> Bool,
                      onListening: (HarnessHello, HarnessListening) -> Void) -> Conversation {
        var conversation = ServerConversation(pipe: pipe)
        do throws(ServerConversation.Problem) {
            let listening = try conversation.awaitListening(within: startupSeconds)
            onListening(conversation.transcript.hello!, listening)
            while !shouldStop() {
                switch pipe.readLine(within: 0.2) {
                case .timedOut: continue
                case .end: return Conversation(transcript: conversation.transcript, problem: "the server exited")
                case .line(let line):
                    return Conversation(transcript: conversation.transcript, problem: "unexpected protocol line: \(line)")
                }
            }
            _ = try conversation.stop(within: 10)
            _ = pipe.waitForEnd(within: 10)
            return Conversation(transcript: conversation.transcript)
        } catch {
            let problem: String? = switch error {
            case .ended, .failed: nil
            case .silent(let what): what
            case .violation(let violation): violation.description
            }
            return Conversation(transcript: conversation.transcript, problem: problem)
        }
    }
}
