import Testing
import FTLabRunner
import FTLabExplain

@Suite("explain: contention table and symbol diff")
struct SymbolDiffTests {
    static func sample(_ symbols: String...) -> ProfileSample {
        ProfileSample(tid: 1, frames: symbols.map { StackFrame($0, isKernel: $0.hasPrefix("k:")) }
            .map { StackFrame($0.symbol.replacingOccurrences(of: "k:", with: ""), isKernel: $0.isKernel) })
    }

    static func profile(_ samples: [ProfileSample]) -> SymbolProfile { SymbolProfile(samples: samples, tids: [1]) }

    static let work = sample("sre_match", "_PyEval_EvalFrameDefault", "py::run:/w/workload.py")
    static let criticalSection = sample("k:do_sched_yield", "k:do_syscall_64", "__sched_yield", "PyMutex_Lock",
                                        "_PyCriticalSection_BeginSlow", "_Py_dict_lookup_threadsafe", "dict_get",
                                        "method_vectorcall_FASTCALL", "_PyEval_EvalFrameDefault", "py::run:/w/workload.py")

    @Test("exact names and prefixes match; the most specific entry comes first")
    func table() throws {
        #expect(ContentionSymbols.entry(for: "_Py_brc_queue_object")?.kind == .refcount)
        #expect(ContentionSymbols.entry(for: "_Py_brc") == nil)
        #expect(ContentionSymbols.entry(for: "futex_wait_queue")?.kind == .lock)
        #expect(ContentionSymbols.entry(for: "take_gil")?.kind == .gil)
        #expect(ContentionSymbols.entry(for: "sre_match") == nil)
        let critical = try #require(ContentionSymbols.table.firstIndex { $0.matches("_PyCriticalSection_BeginSlow") })
        let mutex = try #require(ContentionSymbols.table.firstIndex { $0.matches("_PyMutex_LockTimed") })
        let futex = try #require(ContentionSymbols.table.firstIndex { $0.matches("futex_wait") })
        #expect(critical < mutex && mutex < futex)
        #expect(ContentionSymbols.isPlumbing("_PyEval_EvalFrameDefault") && ContentionSymbols.isPlumbing("cfunction_call"))
        #expect(ContentionSymbols.isPlumbing("PyObject_CallMethodOneArg") && !ContentionSymbols.isPlumbing("PyDict_SetItem"))
        #expect(!ContentionSymbols.isPlumbing("dict_get"))
    }

    @Test("a sample goes to its most specific contention point, under the first non-plumbing caller")
    func attribution() throws {
        let (entry, symbol, caller) = try #require(SymbolProfile.attribute(Self.criticalSection.frames))
        #expect(ContentionSymbols.table[entry].matches("_PyCriticalSection_BeginSlow"))
        #expect(symbol == "_PyCriticalSection_BeginSlow")
        #expect(caller == "dict_get in run (workload.py)")
        #expect(SymbolProfile.attribute(Self.work.frames) == nil)
        let noPython = Self.sample("take_gil", "PyEval_RestoreThread", "time_sleep")
        #expect(SymbolProfile.attribute(noPython.frames)?.2 == "time_sleep")
    }

    @Test("inclusive shares count a symbol once per sample and skip kernel plumbing")
    func shares() {
        let recursive = Self.sample("f", "f", "g")
        let p = Self.profile([recursive, Self.work, Self.criticalSection, Self.criticalSection])
        #expect(p.sampleCount == 4)
        #expect(p.share("f") == 0.25)
        #expect(p.share("run (workload.py)") == 0.75)
        #expect(p.share("do_sched_yield") == 0.5, "a kernel contention point counts")
        #expect(p.inclusive["do_syscall_64"] == nil, "kernel plumbing does not")
        #expect(SymbolProfile(samples: [Self.work], tids: [2]).sampleCount == 0, "other threads are ignored")
    }

    @Test("growing symbols: largest growth first, small changes dropped, same-stack symbols folded under a contention point")
    func growing() {
        let base = Self.profile(Array(repeating: Self.work, count: 10))
        let target = Self.profile(Array(repeating: Self.work, count: 5) + Array(repeating: Self.criticalSection, count: 5))
        let rows = SymbolDiff.growing(from: base, to: target)
        // The seven symbols of the critical-section stack (do_syscall_64 aside) went 0% -> 50%:
        // one row, named by a contention point; the eval loop and run() were at 100% already.
        #expect(rows.count == 1)
        let row = rows[0]
        #expect(row.baseShare == 0 && row.targetShare == 0.5)
        #expect(row.symbol == "_PyCriticalSection_BeginSlow", "the most specific contention point names the row")
        #expect(row.sameStacks.count == 6)
        #expect(SymbolDiff.growing(from: base, to: base).isEmpty)
    }

    @Test("findings: contention points that grew by at least 5 points, with their caller")
    func findings() throws {
        let base = Self.profile(Array(repeating: Self.work, count: 20))
        let small = Self.profile(Array(repeating: Self.work, count: 39) + [Self.criticalSection])
        let large = Self.profile(Array(repeating: Self.work, count: 10) + Array(repeating: Self.criticalSection, count: 10))
        #expect(SymbolDiff.findings(from: base, to: small).isEmpty, "+2.5 points is noise")
        let found = try #require(SymbolDiff.findings(from: base, to: large).first)
        #expect(found.symbol == "_PyCriticalSection_BeginSlow")
        #expect(found.growth == 0.5)
        #expect(found.caller == "dict_get in run (workload.py)")
    }
}
