import Testing
import FTLabRunner
@testable import FTLabExplain
import FTLabHarness

@Suite("explain: per-thread time accounting")
struct ThreadAccountingTests {
    static func sample(_ index: Int, warmup: Bool = false, window: Int, onCPU: [Int], runnable: [Int], afterFinish: [Int],
                       voluntary: [Int] = [1, 1], ops: Int = 1000, wall: Int = 1_000_000) -> String {
        #"{"type":"sample","index":\#(index),"warmup":\#(warmup),"batch":10,"ops":\#(ops),"wall_ns":\#(wall),"per_thread_ops":[500,500],"cpu_user_s":0.1,"cpu_sys_s":0.0,"ctx_voluntary":1,"ctx_involuntary":0,"thread_stats":{"window_ns":\#(window),"tids":[41,42],"on_cpu_ns":\#(onCPU),"runnable_ns":\#(runnable),"after_finish_ns":\#(afterFinish),"ctx_voluntary":\#(voluntary),"ctx_involuntary":[0,2]}}"#
    }

    @Test("thread_stats decode from a sample message; a sample without them still decodes")
    func decoding() throws {
        let message = try HarnessMessage.parse(Self.sample(0, window: 100, onCPU: [60, 30], runnable: [10, 0], afterFinish: [0, 20]))
        guard case .sample(let sample) = message else { Issue.record("not a sample"); return }
        let stats = try #require(sample.threadStats)
        #expect(stats.tids == [41, 42])
        #expect(stats.onCPUNanoseconds == [60, 30])
        #expect(stats.afterFinishNanoseconds == [0, 20])
        guard case .sample(let plain) = try HarnessMessage.parse(HarnessProtocolTests.sample) else { return }
        #expect(plain.threadStats == nil)
    }

    @Test("measured samples are summed per thread; blocked is the rest of the window after finishing")
    func sums() throws {
        let lines = [
            Self.sample(0, warmup: true, window: 999, onCPU: [999, 999], runnable: [0, 0], afterFinish: [0, 0]),
            Self.sample(1, window: 1000, onCPU: [600, 300], runnable: [100, 0], afterFinish: [0, 200], voluntary: [2, 40]),
            Self.sample(2, window: 1000, onCPU: [600, 300], runnable: [100, 0], afterFinish: [0, 200], voluntary: [2, 40],
                        ops: 3000),
        ]
        let samples = lines.compactMap { line -> HarnessSample? in
            if case .sample(let s) = try? HarnessMessage.parse(line) { return s }
            return nil
        }
        let accounting = try #require(ThreadAccounting(samples: samples))
        #expect(accounting.tids == [41, 42])
        let first = accounting.threads[0], second = accounting.threads[1]
        #expect(first.windowNanoseconds == 2000 && first.onCPUNanoseconds == 1200 && first.runnableNanoseconds == 200)
        #expect(first.blockedNanoseconds == 600)
        #expect(second.blockedNanoseconds == 2000 - 600 - 400)
        #expect(abs(second.afterFinishShare - 0.2) < 1e-9)
        #expect(abs(accounting.meanBlockedShare - (0.3 + 0.5) / 2) < 1e-9)
        #expect(second.ctxVoluntary == 80 && second.ctxInvoluntary == 4)
        // ops per second of each measured sample (1000 and 3000 ops in 1 ms), median of two.
        #expect(accounting.throughput == 2_000_000)
    }

    @Test("shares are clamped to the window; no thread_stats means no accounting")
    func edges() {
        let t = ThreadTime(tid: 1, windowNanoseconds: 100, onCPUNanoseconds: 101, runnableNanoseconds: 5)
        #expect(t.onCPUShare == 1 && t.blockedNanoseconds == 0)
        #expect(ThreadTime(tid: 1).blockedShare == 0)
        guard case .sample(let plain) = try? HarnessMessage.parse(HarnessProtocolTests.sample) else { return }
        #expect(ThreadAccounting(samples: [plain]) == nil)
    }
}
