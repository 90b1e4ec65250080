import Foundation

/// Files ftlab reads from its own checkout (`lab/packages.txt`, `lab/apt/...`): looked for
/// above the current directory, then above the running executable.
package enum CheckoutFile {
    /// The directories the search starts from, nearest first.
    package static var searchStarts: [String] {
        [FileManager.default.currentDirectoryPath, (executablePath() as NSString).deletingLastPathComponent]
            .filter { !$0.isEmpty }
    }

    /// The first existing `<dir>/<relative>` for `dir` walking up from each start; nil when none.
    package static func locate(_ relative: String, from starts: [String] = searchStarts) -> String? {
        for start in starts {
            var directory = start
            while true {
                let candidate = "\(directory)/\(relative)"
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                guard directory != "/", !directory.isEmpty else { break }
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
        return nil
    }
}
