import ArgumentParser
import FTLabCore
import FTLabHarness
import FTLabInterpreters
import FTLabRunner

// Options that several commands share, each with one help text. A command that takes one of
// them embeds the group with `@OptionGroup`; checks that need no I/O live in `validate()`.

/// Runs `parse` for its check: the library's error becomes the `ValidationError` that
/// `validate()` throws (exit 2, one line, the `--help` hint).
func validating<T>(_ parse: () throws(RunInputError) -> T) throws -> T {
    do { return try parse() } catch { throw ValidationError(error.description) }
}

/// `--python`, repeatable: which interpreters run.
struct InterpreterOptions: ParsableArguments {
    @Option(name: .customLong("python"), help: ArgumentHelp(
        "Interpreter: a path, a lab label (\(LabPythons.pinnedLabels.joined(separator: ", "))), `lab` for the default pair, "
            + "X.Y or X.Y.Z for both builds of a built release (3.14), `ladder` for every built pair, "
            + "or native-swift (ftlab's Swift ceilings, where a workload has one). Repeatable.",
        valueName: "PATH|LABEL"))
    var pythons: [String] = []
}

/// `--placement`: where each worker thread runs.
struct PlacementOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Placement: none|compact|spread|node:N|cpus:LIST; `run` sweeps a comma-separated list.",
        valueName: "LIST"))
    var placement: String = "compact"
}

/// `--env` and `--param`: what a configuration runs with.
struct SettingsOptions: ParsableArguments {
    @Option(name: .customLong("env"), help: ArgumentHelp(
        "Environment for the interpreter, e.g. PYTHON_GIL=1. Repeatable.", valueName: "KEY=VALUE"))
    var envSettings: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Workload parameter, e.g. lines=50000 or log-processing.lines=50000. Repeatable (see `ftlab list`).",
        valueName: "KEY=VALUE"))
    var params: [String] = []

    func validate() throws {
        for setting in envSettings { _ = try validating { () throws(RunInputError) in try EnvSetting.parse(setting) } }
    }

    /// The parsed `--env` settings (checked in `validate()`).
    var env: [EnvSetting] { envSettings.compactMap { try? EnvSetting.parse($0) } }
}

/// `--workloads-dir`: the user's own workloads beside the built-in corpus.
struct WorkloadsDirOptions: ParsableArguments {
    @Option(name: .customLong("workloads-dir"), help: ArgumentHelp(
        "A folder with your own workloads. Repeatable.", valueName: "DIR"))
    var workloadsDirs: [String] = []

    /// The corpus with the user's folders; broken workloads are listed, not fatal.
    func catalog() throws -> WorkloadCatalog { try WorkloadCatalog.load(extra: workloadsDirs) }
}

/// `--samples` and `--target-seconds`: how long each process measures.
struct SampleOptions: ParsableArguments {
    @Option(help: "Measured samples per process.")
    var samples: Int?

    @Option(name: .customLong("target-seconds"), help: "How long one calibrated sample should last, in seconds.")
    var targetSeconds: Double?

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError(RunInputError.badRepetition(option: "--samples", value: samples).description) }
        if let targetSeconds, !(targetSeconds > 0) {
            throw ValidationError("bad --target-seconds \(targetSeconds); expected seconds > 0, e.g. 0.25")
        }
    }
}

/// `--timeout`: when a hung interpreter process is killed.
struct TimeoutOptions: ParsableArguments {
    @Option(help: "Seconds before an interpreter process is killed and recorded as timeout.")
    var timeout: Double = 300

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("bad --timeout \(timeout); expected seconds > 0") }
    }
}

/// The formats a command prints its results in.
enum OutputFormat: String, CaseIterable, Sendable {
    case text, markdown, csv, json, html
}

/// Which formats one command accepts and which it prints by default.
protocol FormatChoices {
    /// The command as the refusal names it, e.g. `ftlab list`.
    static var command: String { get }
    static var accepted: [OutputFormat] { get }
    static var defaultFormat: OutputFormat { get }
}

/// `--format` and its alias `--json`: how a command prints its results. A format the command
/// does not print is refused (exit 2) with the ones it does.
struct FormatOptions<Choices: FormatChoices>: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Output format: \(Choices.accepted.map(\.rawValue).joined(separator: "|")) (default: \(Choices.defaultFormat.rawValue)). "
            + "JSON is one object whose `schema` field names it and its version.",
        valueName: "FORMAT"))
    var format: String?

    @Flag(help: "Same as --format json.")
    var json = false

    func validate() throws {
        if let format {
            guard let chosen = OutputFormat(rawValue: format), Choices.accepted.contains(chosen) else {
                throw ValidationError("bad --format \"\(format)\"; \(Choices.command) prints "
                                      + Choices.accepted.map(\.rawValue).joined(separator: ", "))
            }
            if json, chosen != .json {
                throw ValidationError("--json and --format \(format) disagree; give one (--json is --format json)")
            }
        }
    }

    /// The format asked for (checked in `validate()`).
    var value: OutputFormat {
        json ? .json : format.flatMap(OutputFormat.init(rawValue:)) ?? Choices.defaultFormat
    }
}

/// `--color`: whether text output is coloured.
struct ColorOptions: ParsableArguments {
    enum Choice: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

    @Option(help: ArgumentHelp(
        "Colour text output: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.",
        valueName: "auto|always|never"))
    var color: Choice = .auto

    /// Whether standard output gets colour.
    var enabled: Bool {
        switch color {
        case .auto: TerminalStyle.colorEnabled()
        case .always: true
        case .never: false
        }
    }
}

/// `--quiet`: no progress lines on standard error (warnings and errors still print).
struct QuietOptions: ParsableArguments {
    @Flag(help: "No progress lines on standard error; warnings and errors still print.")
    var quiet = false
}
