import Foundation

/// The `perf` binary and what it may do here. Finding none, or one that may not trace or
/// record, is a note in the explanation, never a failure.
public struct PerfTool: Sendable {
    /// The working perf binary, or nil.
    public var path: String?
    /// `/proc/sys/kernel/perf_event_paranoid`, when readable.
    public var paranoid: Int?
    /// Why there is no usable perf, and how to get one (nil when `path` is set).
    public var missing: String?

    /// Environment variable naming the perf binary to use; set to an empty value to run
    /// without perf (the notes then say so).
    public static let overrideVariable = "FTLAB_PERF"

    /// Finds a perf that runs: `$FTLAB_PERF`, else `perf` on PATH, else Debian's versioned
    /// `/usr/bin/perf_X.Y` (newest first) or Ubuntu's `/usr/lib/linux-tools/*/perf`. Debian's
    /// `/usr/bin/perf` can be a wrapper that fails when no perf matches the running kernel,
    /// so each candidate must answer `--version`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) async -> PerfTool {
        let paranoid = (try? String(contentsOfFile: "/proc/sys/kernel/perf_event_paranoid", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let forced = environment[overrideVariable] {
            if forced.isEmpty {
                return PerfTool(path: nil, paranoid: paranoid, missing: "perf disabled (\(overrideVariable) is empty)")
            }
            return await answersVersion(forced)
                ? PerfTool(path: forced, paranoid: paranoid, missing: nil)
                : PerfTool(path: nil, paranoid: paranoid, missing: "\(overrideVariable)=\(forced) does not run `perf --version`")
        }
        for candidate in candidates(path: environment["PATH"] ?? "/usr/bin:/bin") where await answersVersion(candidate) {
            return PerfTool(path: candidate, paranoid: paranoid, missing: nil)
        }
        return PerfTool(path: nil, paranoid: paranoid,
                        missing: "no working perf found; install it with `apt-get install linux-perf` (Debian) or `linux-tools-$(uname -r)` (Ubuntu)")
    }

    package static func candidates(path: String) -> [String] {
        let fm = FileManager.default
        var found = path.split(separator: ":").map { "\($0)/perf" }.filter { fm.isExecutableFile(atPath: $0) }
        let versioned = ((try? fm.contentsOfDirectory(atPath: "/usr/bin")) ?? [])
            .filter { $0.hasPrefix("perf_") && $0.dropFirst(5).allSatisfy { $0.isNumber || $0 == "." } }
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "/usr/bin/" + $0 }
        let ubuntu = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/linux-tools")) ?? []).sorted(by: >)
            .map { "/usr/lib/linux-tools/\($0)/perf" }
        for candidate in versioned + ubuntu where fm.isExecutableFile(atPath: candidate) && !found.contains(candidate) {
            found.append(candidate)
        }
        return found
    }

    package static func answersVersion(_ path: String) async -> Bool {
        guard let result = await runQuietly(path, ["--version"]) else { return false }
        return result.status == 0 && result.output.hasPrefix("perf version")
    }

    /// Whether this perf may do what `arguments` (which end in `-- /bin/true`) ask; a note on why not.
    package func probe(_ arguments: [String], what: String) async -> String? {
        guard let path else { return missing }
        guard let result = await runQuietly(path, arguments) else { return "cannot start \(path)" }
        if result.status == 0 { return nil }
        let firstLine = result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty } ?? "exit status \(result.status)"
        return "\(path) may not \(what) here (\(firstLine)); \(enableHint)"
    }

    /// How to allow perf for this user.
    package var enableHint: String {
        let level = paranoid.map { "kernel.perf_event_paranoid is \($0); " } ?? ""
        return "\(level)run as root, or allow it with `sysctl kernel.perf_event_paranoid=-1` (tracing also needs a readable /sys/kernel/tracing)"
    }
}
