import Foundation

/// Files ftlab reads from its own checkout (`lab/packages.txt`, `lab/apt/...`): looked for
/// above the current directory, then in the data folder of an installed ftlab, then above the
/// running executable.
package enum CheckoutFile {
    /// The directories the search starts from, nearest first.
    package static var searchStarts: [String] {
        searchStarts(currentDirectory: FileManager.default.currentDirectoryPath, executable: executablePath())
    }

    /// The current directory, the installed data folder beside `executable` and the
    /// executable's folder, in that order.
    package static func searchStarts(currentDirectory: String, executable: String) -> [String] {
        [currentDirectory, installedData(executable: executable), (executable as NSString).deletingLastPathComponent]
            .filter { !$0.isEmpty }
    }

    /// Where a Python installer (`pip`, `pipx`, `uv tool install` of the wheel) puts the corpus
    /// and `lab/` of an ftlab it installs as `<prefix>/bin/ftlab`: `<prefix>/share/ftlab`.
    /// The path is returned whether or not it exists.
    package static func installedData(executable: String) -> String {
        let bin = (executable as NSString).deletingLastPathComponent
        let prefix = (bin as NSString).deletingLastPathComponent
        guard !bin.isEmpty, !prefix.isEmpty else { return "" }
        return ((prefix as NSString).appendingPathComponent("share") as NSString).appendingPathComponent("ftlab")
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
