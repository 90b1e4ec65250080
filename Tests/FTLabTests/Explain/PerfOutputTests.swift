import Foundation
import Testing
import FTLabRunner
@testable import FTLabExplain

/// Parsing what perf prints, on outputs captured on this project's machines
/// (Fixtures/explain: perf 6.1, CPython 3.13.5t, `log-processing/shared-lock` and the
/// `shared-file` fixture at 2 threads).
@Suite("explain: perf trace and perf script parsing")
struct PerfOutputTests {
    static func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: TestPaths.fixtures + "/explain/" + name, encoding: .utf8)
    }

    @Test("perf trace -s: one futex row per thread, by tid")
    func traceSummary() throws {
        let summary = PerfTraceSummary.parse(try Self.fixture("perf-trace-futex.txt"))
        #expect(Set(summary.keys) == [6827, 6830, 6831])
        #expect(summary[6830]?["futex"] == SyscallSummary(calls: 3235, errors: 132, totalMilliseconds: 510.084))
        #expect(summary[6827]?["futex"]?.calls == 59)
    }

    @Test("lock waits pick the workers, in thread order, and rate them over the workers' life")
    func lockWaits() throws {
        let summary = PerfTraceSummary.parse(try Self.fixture("perf-trace-futex.txt"))
        let waits = LockWaits(summary: summary, tids: [6831, 6830, 999], seconds: 2)
        #expect(waits.threads.map(\.calls) == [3230, 3235, 0])
        #expect(abs(waits.callsPerThreadPerSecond - Double(3230 + 3235) / 3 / 2) < 1e-9)
        #expect(abs(waits.meanTimeShare - (840.259 + 510.084) / 1000 / 3 / 2) < 1e-9)
        #expect(LockWaits(summary: [:], tids: [], seconds: 0).callsPerThreadPerSecond == 0)
    }

    @Test("perf script: samples with their tid and leaf-first frames; kernel and Python frames recognised")
    func script() throws {
        let samples = PerfScript.parse(try Self.fixture("perf-script-shared-lock.txt"))
        #expect(samples.count == 61)
        #expect(Set(samples.map(\.tid)) == [5308, 5310, 5311])
        let worker = try #require(samples.first { $0.tid == 5310 })
        #expect(!worker.frames.isEmpty)
        let python = try #require(samples.flatMap(\.frames).first { $0.isPython && $0.symbol.contains("SharedLock.run") })
        #expect(python.display == "SharedLock.run (workload.py)")
        #expect(samples.flatMap(\.frames).contains { $0.isKernel && $0.symbol == "do_syscall_64" })
        #expect(samples.flatMap(\.frames).contains { !$0.isKernel && $0.symbol == "_PyCriticalSection_BeginSlow" })
    }

    @Test("perf script: a sample without a call chain, an unknown symbol, a blank tail")
    func scriptEdges() {
        let text = " 12 \n\t 7f00 [unknown] ([unknown])\n\t 1a2b foo (/usr/bin/x)\n\n 13 4a5b bar (/lib/y.so)\n\n\n"
        let samples = PerfScript.parse(text)
        #expect(samples.count == 2)
        #expect(samples[0].frames == [StackFrame("[unknown]"), StackFrame("foo")])
        #expect(samples[1].tid == 13 && samples[1].frames == [StackFrame("bar")])
        #expect(StackFrame("py::<module>:<frozen os>").display == "<module> (<frozen os>)")
    }

    @Test("worker samples only; the critical section is found under dict.get in SharedLock.run")
    func sharedLockProfile() throws {
        let samples = PerfScript.parse(try Self.fixture("perf-script-shared-lock.txt"))
        let profile = SymbolProfile(samples: samples, tids: [5310, 5311])
        #expect(profile.sampleCount == 57)
        #expect(profile.hasPythonFrames)
        #expect(profile.share("_PyCriticalSection_BeginSlow") > 0.5)
        let index = try #require(ContentionSymbols.table.firstIndex { $0.matches("_PyCriticalSection_BeginSlow") })
        let tally = try #require(profile.contention[index])
        #expect(tally.mainSymbol == "_PyCriticalSection_BeginSlow")
        #expect(tally.mainCaller?.hasPrefix("dict_get") == true, "\(tally.mainCaller ?? "nil")")
        #expect(tally.mainCaller?.hasSuffix("in SharedLock.run (workload.py)") == true)
        // Kernel plumbing is not a symbol of its own; kernel contention points are.
        #expect(profile.inclusive["do_syscall_64"] == nil)
    }

    @Test("the shared BufferedWriter's lock is found under _io_BufferedWriter_write")
    func sharedWriterProfile() throws {
        let samples = PerfScript.parse(try Self.fixture("perf-script-shared-writer.txt"))
        let profile = SymbolProfile(samples: samples, tids: [9029, 9030])
        let callers = profile.contention.values.flatMap(\.callers.keys)
        #expect(callers.contains { $0.hasPrefix("_io_BufferedWriter_write") && $0.hasSuffix("in SharedWriter.run (workload.py)") },
                "\(callers)")
    }
}
