import Foundation
import FTLabCore

/// The questions people ask when they move to free-threading, each answered from a run's
/// figures: which option scales, by how much at the run's largest thread count (with the 95% CI
/// of the speedup), what it costs on one thread against the GIL build, and, for the options that
/// do not scale, `ftlab explain`'s verdict (from `--verdicts`) or the command that gives it.
/// Built only from the rows of the pattern workloads (thread-state, stdio, handoff,
/// shared-state, and buffered-copy's `impl` parameter); empty when a run has none of them.
public struct PatternsPage: Sendable {
    /// One way of doing something: a workload variant, optionally with one parameter fixed.
    public struct Option: Sendable, Equatable {
        public let workload: String
        public let variant: String
        /// `impl=_pyio`: only configurations whose params carry it (nil: any).
        public let param: String?

        public init(_ workload: String, _ variant: String, param: String? = nil) {
            self.workload = workload
            self.variant = variant
            self.param = param
        }

        /// `variant`, or `workload/variant` where the pattern spans workloads, plus the param.
        func label(qualified: Bool) -> String {
            (qualified ? "\(workload)/\(variant)" : variant) + (param.map { " \($0)" } ?? "")
        }

        func matches(_ row: ResultRow) -> Bool {
            row.workload == workload && row.variant == variant
                && (param.map { row.params.split(separator: ";").map(String.init).contains($0) } ?? true)
        }
    }

    /// One question and the options that answer it. A pattern with `baseline` set compares each
    /// option with its twin that has the baseline parameter instead (C io against _pyio).
    public struct Pattern: Sendable {
        public let title: String
        public let question: String
        public let options: [Option]
        /// `impl=io` for `impl=_pyio` options: figures relative to the twin with this param.
        public let baseline: (from: String, to: String)?
        /// What a reader must know to read the figures (printed under the answers), if anything.
        public var note: String? = nil
    }

    /// The questions of issue 32, in the order the page answers them.
    public static let catalog: [Pattern] = [
        Pattern(title: "contextvars or threading.local",
                question: "Per-request state on the free-threaded build: a contextvars.ContextVar (whose cache is disabled there, "
                    + "python/cpython#121546) or a threading.local (which had refcount contention, #128691)?",
                options: [Option("thread-state", "contextvar"), Option("thread-state", "threading-local")], baseline: nil),
        Pattern(title: "stdout and logging from many threads",
                question: "What do print to one stdout, logging through one StreamHandler, and disabled logger.debug() calls "
                    + "(#155106) cost as threads are added (C io, a file on tmpfs)?",
                options: [Option("stdio", "print", param: "impl=io"), Option("stdio", "logging", param: "impl=io"),
                          Option("stdio", "logging-disabled", param: "impl=io")], baseline: nil),
        Pattern(title: "C io against _pyio",
                question: "_pyio is the pure-Python twin of io: what does its Python-level locking cost next to C io's critical "
                    + "sections, on objects each thread owns and on shared ones?",
                options: ["independent", "copyfileobj", "shared-writer", "shared-reader"].map { Option("buffered-copy", $0, param: "impl=_pyio") }
                    + ["print", "logging"].map { Option("stdio", $0, param: "impl=_pyio") },
                baseline: (from: "impl=_pyio", to: "impl=io")),
        Pattern(title: "Handoffs between threads",
                question: "queue.Queue producer/consumers, Event and Condition ping-pong, a Semaphore-bounded pool: which handoff "
                    + "scales, and what does one cost?",
                options: ["queue", "event-ping-pong", "condition-ping-pong", "semaphore-pool"].map { Option("handoff", $0) }, baseline: nil,
                note: "`queue` has one busy thread more than `threads` (the main thread produces): at 1 thread it shares the "
                    + "consumer's CPU, so part of its speedup is the producer getting a CPU of its own. A ping-pong partner runs "
                    + "on its worker's CPU: each round trip is two thread switches on one CPU."),
        Pattern(title: "Shared caches and state",
                question: "A shared random.Random, a functools.lru_cache hit by every thread, one dict written by all threads "
                    + "against one per thread: what does sharing cost?",
                options: ["random-shared", "random-per-thread", "lru-cache", "dict-shared", "dict-per-thread"].map { Option("shared-state", $0) },
                baseline: nil),
        Pattern(title: "asyncio and threads together",
                question: "One event loop offloading CPU work with asyncio.to_thread, or one event loop per thread?",
                options: [Option("handoff", "asyncio-to-thread"), Option("handoff", "asyncio-per-thread")], baseline: nil,
                note: "`asyncio-to-thread`'s event loop runs on the main thread, on top of the N executor threads: at 1 thread "
                    + "the loop and the one executor thread share a CPU."),
    ]

    /// One option on one free-threaded interpreter, at 1 thread and at the run's largest count.
    public struct Figure: Sendable {
        public let label: String
        public let workload: String
        public let variant: String
        /// The option's fixed parameter (`impl=_pyio`), if any.
        public let param: String?
        public let interpreter: String
        public let release: String
        public let unit: String
        public let threads: Int
        /// Throughput at `threads` and at 1 thread.
        public let atThreads: Summary
        public let single: Summary
        /// Median at `threads` over median at 1 thread, with its 95% CI.
        public let speedup: RatioPoint
        /// The GIL build's throughput over this one's at 1 thread: this build's time per op
        /// relative to the GIL build's (1.2 is 20% slower); nil without a GIL twin.
        public let timeOverGIL: RatioPoint?
        /// For a pattern with a baseline: this option's time per op over its twin's at 1 thread,
        /// and its throughput over the twin's at `threads`.
        public let timeOverBaseline: RatioPoint?
        public let throughputOverBaseline: RatioPoint?
        /// `scales`, `scales partly` or `does not scale` (see `judge`).
        public let verdict: String
        /// explain's verdict line for this configuration, when `--verdicts` gave one.
        public let explained: String?

        /// What the `ftlab explain` command for this figure is.
        public var explainCommand: String {
            "ftlab explain \(workload)/\(variant) --threads \(threads) --python \(interpreter)"
                + (param.map { " --param \($0)" } ?? "")
        }
    }

    /// One pattern answered on one release's free-threaded build.
    public struct Answer: Sendable {
        public let release: String
        public let interpreter: String
        public let figures: [Figure]
        public let sentence: String
    }

    public struct Section: Sendable {
        public let title: String
        public let question: String
        public let answers: [Answer]
        public let note: String?
    }

    public let sections: [Section]
    /// Per free-threaded interpreter, the best speedup among the options that share nothing
    /// between threads (`controls`): how much of N CPUs the run got, whatever the pattern.
    public let controls: [Figure]
    /// The 1-minute load average at the run's start, and the median and largest as processes ended.
    public let loadAverage: (start: Double, median: Double, max: Double)?

    public var isEmpty: Bool { sections.isEmpty }

    /// Options whose threads share nothing: their speedup measures the machine, not a pattern.
    public static let controlOptions = [Option("shared-state", "random-per-thread"), Option("shared-state", "dict-per-thread"),
                                        Option("handoff", "asyncio-per-thread")]

    /// The workloads whose rows the page reads.
    public static let workloads: Set<String> = ["thread-state", "stdio", "handoff", "shared-state"]

    /// `verdicts`: `ftlab explain --format json` documents' verdicts, matched to figures by
    /// workload/variant, interpreter and threads.
    /// Whether the page reads `row`: a pattern workload's, or buffered-copy's with `impl` set.
    public static func reads(_ row: ResultRow) -> Bool {
        workloads.contains(row.workload) || (row.workload == "buffered-copy" && ParamsBytes.contains(row.params, "impl="))
    }

    public init(rows: [ResultRow], verdicts: [ExplainVerdict] = [], bootstrap: Bootstrap = Bootstrap()) {
        let relevant = rows.filter(Self.reads)
        guard !relevant.isEmpty else {
            sections = []
            controls = []
            loadAverage = nil
            return
        }
        let ends = relevant.compactMap(\.load1m)
        loadAverage = relevant[0].loadStart.map { ($0, ends.isEmpty ? $0 : Descriptive.median(ends), ends.max() ?? $0) }
        let configurations = ConfigurationSamples.group(relevant)
        let pairs = BuildPair.pairs(configurations)
        // Free-threaded interpreters, newest release first.
        var interpreters: [(label: String, release: String)] = []
        for c in configurations where c.first.build == "freethreaded" && !interpreters.contains(where: { $0.label == c.first.interpreter }) {
            interpreters.append((c.first.interpreter, c.first.pythonVersion))
        }
        interpreters.sort { Self.releaseKey($1.release).lexicographicallyPrecedes(Self.releaseKey($0.release)) }
        var sections: [Section] = []
        for pattern in Self.catalog {
            let qualified = Set(pattern.options.map(\.workload)).count > 1
            var answers: [Answer] = []
            for interpreter in interpreters {
                let figures = pattern.options.compactMap { option in
                    Self.figure(option, label: option.label(qualified: qualified), interpreter: interpreter.label,
                                configurations: configurations, pairs: pairs, baseline: pattern.baseline,
                                verdicts: verdicts, bootstrap: bootstrap)
                }
                guard !figures.isEmpty else { continue }
                answers.append(Answer(release: interpreter.release, interpreter: interpreter.label, figures: figures,
                                      sentence: Self.sentence(pattern, figures: figures, release: interpreter.release)))
            }
            if !answers.isEmpty {
                sections.append(Section(title: pattern.title, question: pattern.question, answers: answers, note: pattern.note))
            }
        }
        self.sections = sections
        controls = interpreters.compactMap { interpreter in
            Self.controlOptions.compactMap { option in
                Self.figure(option, label: option.label(qualified: true), interpreter: interpreter.label,
                            configurations: configurations, pairs: pairs, baseline: nil, verdicts: [], bootstrap: bootstrap)
            }.max { $0.speedup.ratio < $1.speedup.ratio }
        }
    }

    /// `3.14.7` -> [3, 14, 7].
    private static func releaseKey(_ release: String) -> [Int] {
        release.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
    }

    private static func figure(_ option: Option, label: String, interpreter: String, configurations: [ConfigurationSamples],
                               pairs: [BuildPair], baseline: (from: String, to: String)?, verdicts: [ExplainVerdict],
                               bootstrap: Bootstrap) -> Figure? {
        let mine = configurations.filter { $0.first.interpreter == interpreter && option.matches($0.first) && !$0.ok.isEmpty }
        guard let one = mine.first(where: { $0.first.threads == 1 }),
              let top = mine.filter({ $0.first.threads > 1 }).max(by: { $0.first.threads < $1.first.threads }),
              let single = Summary(processes: one.processValues { $0.throughput }, bootstrap: bootstrap),
              let atThreads = Summary(processes: top.processValues { $0.throughput }, bootstrap: bootstrap)
        else { return nil }
        let speedup = ratio(top, over: one, threads: top.first.threads, bootstrap: bootstrap)
        let gil = pairs.first { $0.freeThreaded.key == one.key }?.gil
        // The GIL build's throughput over ours: our time per op relative to its.
        let timeOverGIL = gil.map { ratio($0, over: one, threads: 1, bootstrap: bootstrap) }
        var timeOverBaseline: RatioPoint?
        var throughputOverBaseline: RatioPoint?
        if let baseline {
            func twin(_ c: ConfigurationSamples) -> ConfigurationSamples? {
                let wanted = c.first.params.replacingOccurrences(of: baseline.from, with: baseline.to)
                return configurations.first {
                    $0.first.interpreter == interpreter && $0.first.workload == c.first.workload && $0.first.variant == c.first.variant
                        && $0.first.threads == c.first.threads && $0.first.params == wanted && !$0.ok.isEmpty
                }
            }
            if let base = twin(one) { timeOverBaseline = ratio(base, over: one, threads: 1, bootstrap: bootstrap) }
            if let base = twin(top) { throughputOverBaseline = ratio(top, over: base, threads: top.first.threads, bootstrap: bootstrap) }
        }
        let verdict = judge(speedup, threads: top.first.threads)
        let explained = verdict == "scales" ? nil : verdicts.first {
            $0.workload == "\(option.workload)/\(option.variant)" && $0.interpreter == interpreter && $0.threads == top.first.threads
                && (option.param == nil || option.param == "impl=io")
        }?.verdict
        return Figure(label: label, workload: option.workload, variant: option.variant, param: option.param, interpreter: interpreter,
                      release: one.first.pythonVersion, unit: one.first.unit, threads: top.first.threads,
                      atThreads: atThreads, single: single, speedup: speedup, timeOverGIL: timeOverGIL,
                      timeOverBaseline: timeOverBaseline, throughputOverBaseline: throughputOverBaseline,
                      verdict: verdict, explained: explained)
    }

    /// Median of `numerator` over median of `denominator`, with the bootstrap 95% CI.
    private static func ratio(_ numerator: ConfigurationSamples, over denominator: ConfigurationSamples, threads: Int,
                              bootstrap: Bootstrap) -> RatioPoint {
        let top = numerator.processValues { $0.throughput }, bottom = denominator.processValues { $0.throughput }
        return RatioPoint(threads: threads,
                          ratio: Descriptive.median(top.flatMap { $0 }) / Descriptive.median(bottom.flatMap { $0 }),
                          interval: bootstrap.ratioOfMediansInterval(base: bottom, new: top))
    }

    /// `scales` when the low end of the speedup's 95% CI reaches 1 + 0.5 (N - 1) (1.5x at 2
    /// threads: at least 75% efficiency, reliably); `scales partly` when the low end is above 1
    /// (more threads reliably do more); else `does not scale`.
    package static func judge(_ speedup: RatioPoint, threads: Int) -> String {
        if speedup.interval.low >= 1 + 0.5 * Double(threads - 1) { return "scales" }
        if speedup.interval.low > 1 { return "scales partly" }
        return "does not scale"
    }

    // MARK: - Words

    /// `410 ns per request`, or `1.43 GB/s` for bytes.
    package static func cost(_ summary: Summary, unit: String) -> String {
        if unit == "bytes" { return NumberFormat.si(summary.median) + "B/s" }
        let seconds = 1 / summary.median
        let singular = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
        let time = seconds >= 1e-3 ? String(format: "%.3g ms", seconds * 1e3)
            : seconds >= 1e-6 ? String(format: "%.3g µs", seconds * 1e6) : String(format: "%.3g ns", seconds * 1e9)
        return "\(time) per \(singular)"
    }

    package static func interval(_ point: RatioPoint) -> String {
        "95% CI \(NumberFormat.ratio(point.interval.low))–\(NumberFormat.ratio(point.interval.high))"
    }

    /// One figure in words: "`x` 1.62x at 2 threads (95% CI 1.41x–1.80x), 410 ns per request on
    /// one thread (1.21x the GIL build's time)".
    package static func phrase(_ figure: Figure) -> String {
        var text = "`\(figure.label)` \(NumberFormat.ratio(figure.speedup.ratio)) at \(figure.threads) threads "
            + "(\(interval(figure.speedup))), \(cost(figure.single, unit: figure.unit)) on one thread"
        if let gil = figure.timeOverGIL {
            text += " (\(NumberFormat.ratio(gil.ratio)) the GIL build's time)"
        }
        return text
    }

    /// The pattern's answer on one release, in one sentence.
    package static func sentence(_ pattern: Pattern, figures: [Figure], release: String) -> String {
        let head = "On CPython \(release) (free-threaded), "
        if pattern.baseline != nil {
            let timed = figures.filter { $0.timeOverBaseline != nil }
            let scaled = figures.filter { $0.throughputOverBaseline != nil }
            guard let slow = timed.max(by: { $0.timeOverBaseline!.ratio < $1.timeOverBaseline!.ratio }),
                  let fast = timed.min(by: { $0.timeOverBaseline!.ratio < $1.timeOverBaseline!.ratio })
            else { return head + "no C io twin was measured for the _pyio configurations." }
            var text = head + "_pyio takes \(NumberFormat.ratio(fast.timeOverBaseline!.ratio)) (`\(fast.label)`, "
                + "\(interval(fast.timeOverBaseline!))) to \(NumberFormat.ratio(slow.timeOverBaseline!.ratio)) "
                + "(`\(slow.label)`, \(interval(slow.timeOverBaseline!))) C io's time on one thread"
            if let worst = scaled.min(by: { $0.throughputOverBaseline!.ratio < $1.throughputOverBaseline!.ratio }),
               let best = scaled.max(by: { $0.throughputOverBaseline!.ratio < $1.throughputOverBaseline!.ratio }) {
                text += ", and at \(worst.threads) threads reaches \(NumberFormat.ratio(worst.throughputOverBaseline!.ratio)) "
                    + "(`\(worst.label)`, \(interval(worst.throughputOverBaseline!))) to "
                    + "\(NumberFormat.ratio(best.throughputOverBaseline!.ratio)) (`\(best.label)`, "
                    + "\(interval(best.throughputOverBaseline!))) of C io's throughput"
            }
            return text + "."
        }
        let ranked = figures.sorted { $0.speedup.ratio > $1.speedup.ratio }
        let best = ranked[0]
        let scaling = ranked.filter { $0.verdict == "scales" }
        var text = head
        if scaling.isEmpty {
            text += "none of the \(figures.count) scales at \(best.threads) threads by this page's rule; the best is "
        } else if scaling.count == figures.count {
            text += "all \(figures.count) scale; the best is "
        } else {
            text += "\(scaling.map { "`\($0.label)`" }.joined(separator: ", ")) scale\(scaling.count == 1 ? "s" : ""); the best is "
        }
        text += phrase(best)
        let rest = ranked.dropFirst()
        if !rest.isEmpty {
            text += ", against " + rest.map(phrase).joined(separator: "; ")
        }
        return text + "."
    }

    // MARK: - Markdown

    /// The page as markdown: per pattern, the question, one answer sentence per release (newest
    /// first) and a table of figures; the verdicts or explain commands of options that do not scale.
    public func markdown() -> String {
        guard !isEmpty else { return "" }
        var out = ["## Patterns: the questions people ask, answered", ""]
        out.append("Each answer is read off the run below: speedup is the median throughput at the largest thread count "
            + "over that at 1 thread, with its bootstrap 95% CI over processes; \"scales\" means the CI's low end reaches "
            + "1.5x at 2 threads (1 + 0.5 (N - 1)), \"scales partly\" that it is above 1. Single-thread cost is the time "
            + "per op at 1 thread; the ratio to the GIL build's time is from the same run.")
        if let load = loadAverage {
            out.append("")
            out.append("Load average (1 minute): \(String(format: "%.2f", load.start)) when the run started; as its processes "
                + "ended, median \(String(format: "%.2f", load.median)), at most \(String(format: "%.2f", load.max)). "
                + "Figures from a busy machine have wide CIs.")
        }
        if !controls.isEmpty {
            out.append("")
            out.append("How much of the CPUs the run got: " + controls.map { control in
                "on CPython \(control.release) (free-threaded) `\(control.label)`, whose threads share nothing, reached "
                    + "\(NumberFormat.ratio(control.speedup.ratio)) at \(control.threads) threads (\(Self.interval(control.speedup)))"
            }.joined(separator: "; ") + ". A pattern's speedup is limited by that figure before anything in Python.")
        }
        out.append("")
        for section in sections {
            out += ["### \(section.title)", "", "*\(section.question)*", ""]
            for answer in section.answers {
                out += ["- **CPython \(answer.release)**: \(answer.sentence)"]
            }
            out.append("")
            if let note = section.note { out += [note, ""] }
            var table = Table(header: ["option", "interpreter", "1-thread cost", "time vs GIL (95% CI)", "throughput at N (±CI)",
                                       "speedup at N (95% CI)", "verdict"],
                              rightAligned: [2, 3, 4, 5])
            for answer in section.answers {
                for f in answer.figures {
                    let gil = f.timeOverGIL.map { "\(NumberFormat.ratio($0.ratio)) (\(NumberFormat.ratio($0.interval.low))–\(NumberFormat.ratio($0.interval.high)))" } ?? "-"
                    var option = f.label
                    if let base = f.timeOverBaseline {
                        option += " (time vs io \(NumberFormat.ratio(base.ratio)))"
                    }
                    table.rows.append([option, f.interpreter, Self.cost(f.single, unit: f.unit), gil,
                                       "\(NumberFormat.si(f.atThreads.median)) ±\(NumberFormat.percent(f.atThreads.relativeHalfWidth))",
                                       "\(NumberFormat.ratio(f.speedup.ratio)) at \(f.threads) (\(NumberFormat.ratio(f.speedup.interval.low))–\(NumberFormat.ratio(f.speedup.interval.high)))",
                                       f.verdict])
                }
            }
            out += [table.markdown(), ""]
            let notScaling = section.answers.flatMap(\.figures).filter { $0.verdict != "scales" }
            if !notScaling.isEmpty {
                out.append("Why not (`ftlab explain`):")
                out.append("")
                for f in notScaling {
                    if let explained = f.explained {
                        out.append("- `\(f.label)` on \(f.interpreter): \(explained)")
                    } else {
                        out.append("- `\(f.label)` on \(f.interpreter): run `\(f.explainCommand)`")
                    }
                }
                out.append("")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// The verdict line of one configuration from an `ftlab explain --format json` document.
public struct ExplainVerdict: Sendable, Equatable {
    public let workload: String
    public let interpreter: String
    public let threads: Int
    public let verdict: String

    private struct Document: Decodable {
        let schema: String
        let workload: String
        let configurations: [Configuration]
        struct Configuration: Decodable {
            let interpreter: String
            let threads: Int
            let verdict: String
        }
    }

    /// The verdicts of one `ftlab.explain/1` document; fails on anything else.
    public static func read(path: String) throws(ReportError) -> [ExplainVerdict] {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadableVerdicts(path, "cannot read it") }
        do {
            let document = try JSONDecoder().decode(Document.self, from: data)
            guard document.schema == JSONOutput.schema("explain") else {
                throw ReportError.unreadableVerdicts(path, "schema \(document.schema), not \(JSONOutput.schema("explain"))")
            }
            return document.configurations.map {
                ExplainVerdict(workload: document.workload, interpreter: $0.interpreter, threads: $0.threads, verdict: $0.verdict)
            }
        } catch let error as ReportError {
            throw error
        } catch {
            throw .unreadableVerdicts(path, "not an `ftlab explain --format json` document (\(error))")
        }
    }
}
