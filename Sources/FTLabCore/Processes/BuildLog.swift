import Foundation

/// A log file that collects the output of every command of one build.
package struct BuildLog: Sendable {
    package let path: String

    /// Opens `path` afresh (its directory is created, an old log is replaced).
    package init(path: String) {
        self.path = path
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
    }

    /// Appends `text` and a newline.
    package func write(_ text: String) {
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Runs `executable` (a path or a name on PATH) with stdout and stderr appended to the log;
    /// returns whether it exited with status 0.
    package func run(_ executable: String, _ arguments: [String], in directory: String? = nil) async -> Bool {
        write("$ \(([executable] + arguments).joined(separator: " "))" + (directory.map { "   (in \($0))" } ?? ""))
        let command = HostCommand(executable, arguments, workingDirectory: directory,
                                  output: .appended(path), error: .withOutput)
        guard let outcome = await command.run() else {
            write("-> could not run: \(executable) is not an executable on PATH")
            return false
        }
        if !outcome.succeeded { write("-> exit status \(outcome.status)") }
        return outcome.succeeded
    }

    /// The last `count` lines of the log.
    package func tail(_ count: Int = 30) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .suffix(count + 1).joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}
