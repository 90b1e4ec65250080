/// A well-known point where threads of a CPython process wait for each other, with its
/// plain-language cause.
public struct ContentionSymbol: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Waiting for, or spinning on, a lock another thread holds.
        case lock
        case gil
        case refcount
        case allocator
        /// Every thread stopped at once.
        case pause
    }

    /// Function names (exact), or prefixes when they end in `*`.
    public var names: [String]
    public var kind: Kind
    /// One line: what it means that samples land here.
    public var cause: String

    /// Whether `symbol` is one of this entry's functions.
    public func matches(_ symbol: String) -> Bool {
        names.contains { $0.hasSuffix("*") ? symbol.hasPrefix($0.dropLast()) : symbol == $0 }
    }
}

/// The table of CPython contention points, most specific first: a sample is attributed to the
/// first entry any of its frames matches, so a critical section wins over the PyMutex it
/// waits on, and that over the futex it sleeps on.
public enum ContentionSymbols {
    public static let table: [ContentionSymbol] = [
        ContentionSymbol(names: ["_enter_buffered_busy"], kind: .lock,
                         cause: "another thread is inside the same BufferedReader/BufferedWriter: threads sharing one buffered file take turns on its lock"),
        ContentionSymbol(names: ["_PyCriticalSection_BeginSlow", "_PyCriticalSection2_BeginSlow", "_PyCriticalSection_Resume"],
                         kind: .lock,
                         cause: "another thread holds this object's per-object lock (critical section): threads sharing one object (dict, list, file...) take turns on it"),
        ContentionSymbol(names: ["lock_PyThread_acquire_lock", "rlock_acquire"], kind: .lock,
                         cause: "a threading.Lock/RLock is held by another thread: the Python-level lock serialises the threads"),
        ContentionSymbol(names: ["PyThread_acquire_lock_timed"], kind: .lock,
                         cause: "taking a C-level lock (a PyThread lock, such as a buffered file's) that other threads take too"),
        ContentionSymbol(names: ["take_gil"], kind: .gil,
                         cause: "waiting to take the GIL: only one thread runs Python code at a time"),
        ContentionSymbol(names: ["drop_gil"], kind: .gil,
                         cause: "handing the GIL to a waiting thread: the cost of threads taking turns"),
        ContentionSymbol(names: ["_Py_brc_*", "_Py_MergeZeroLocalRefcount", "_Py_ExplicitMergeRefcount"], kind: .refcount,
                         cause: "biased reference counting: threads touch objects another thread owns, so reference counts take the slow shared path and queued merges"),
        ContentionSymbol(names: ["_PyEval_StopTheWorld*", "stop_the_world"], kind: .pause,
                         cause: "a stop-the-world pause (garbage collection or a global change): every thread waits"),
        ContentionSymbol(names: ["_PyObject_MiMalloc", "_mi_malloc_generic", "_mi_free_generic", "_mi_free_block_mt", "mi_free_block_mt"],
                         kind: .allocator,
                         cause: "mimalloc, the free-threaded object allocator, takes longer: heap pages shared between threads or objects freed by another thread"),
        ContentionSymbol(names: ["_PyMutex_LockTimed", "_PyMutex_LockSlow", "PyMutex_Lock", "_PyParkingLot_Park"], kind: .lock,
                         cause: "waiting for an internal PyMutex that another thread holds"),
        ContentionSymbol(names: ["_Py_yield", "__sched_yield", "__GI_sched_yield", "do_sched_yield"], kind: .lock,
                         cause: "spinning: the thread gives up its CPU (sched_yield) while it waits for a lock to be released"),
        ContentionSymbol(names: ["futex_wait*", "__futex_abstimed_wait_common*"], kind: .lock,
                         cause: "going to sleep on a futex: a lock, condition or semaphore another thread holds"),
        ContentionSymbol(names: ["futex_wake*", "_PyParkingLot_Unpark"], kind: .lock,
                         cause: "waking a thread that sleeps on a lock this thread releases: the lock is contended"),
    ]

    /// The first entry `symbol` matches.
    public static func entry(for symbol: String) -> ContentionSymbol? {
        table.first { $0.matches(symbol) }
    }

    /// Plumbing between a contention point and the code that caused it: call machinery, the
    /// eval loop, CPython's private helpers (`_Py...`) and lock primitives. Skipped when
    /// naming the caller a wait happened under.
    public static func isPlumbing(_ symbol: String) -> Bool {
        symbol.hasPrefix("_Py") || symbol.hasPrefix("Py") && symbol.contains("Call")
            || plumbing.contains { symbol.hasPrefix($0) }
    }

    package static let plumbing = [
        "PyObject_Vectorcall", "method_vectorcall", "cfunction_", "vectorcall_", "slot_tp_", "call_method",
        "PyEval_", "object_vacall", "[unknown]",
        // Lock primitives beneath the code that takes the lock.
        "PyThread_", "PyMutex_", "pthread_", "__pthread_", "sem_", "__new_sem_", "__GI___futex", "syscall", "__GI_syscall",
    ]
}
