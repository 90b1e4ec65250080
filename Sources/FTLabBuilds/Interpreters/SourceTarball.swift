import Foundation
import FTLabCore
import FTLabInterpreters

/// What a tarball says about itself: whether it is a CPython source tree, and which release.
package enum SourceTarball {
    /// The `X.Y.Z` in `<top>/Include/patchlevel.h`'s `PY_VERSION`; refuses a tarball that has no
    /// such file at that depth (not a CPython source, or one that would not build with
    /// `--strip-components=1`) and a pre-release (`3.15.0rc1`: the lab builds releases).
    package static func version(of tarball: String) async throws(LabError) -> String {
        guard let listing = await HostCommand("tar", ["-tf", tarball]).run(), listing.succeeded else {
            throw .notCPythonSource(tarball, reason: "tar cannot list it")
        }
        let header = listing.standardOutput.split(separator: "\n").first { entry in
            let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 3 && parts[1] == "Include" && parts[2] == "patchlevel.h"
        }
        guard let header else {
            throw .notCPythonSource(tarball, reason: "it has no <top>/Include/patchlevel.h")
        }
        guard let text = await HostCommand("tar", ["-xOf", tarball, String(header)]).run()?.standardOutput,
            let version = pyVersion(in: text)
        else {
            throw .notCPythonSource(tarball, reason: "\(header) defines no PY_VERSION")
        }
        guard LabTarget.isVersion(version) else {
            throw .notCPythonSource(tarball, reason: "it is CPython \(version), a pre-release; the lab builds X.Y.Z releases")
        }
        return version
    }

    /// Refuses `tarball` unless it is the source of CPython `version` (a locked file that is not
    /// what its lock entry says would build the wrong release under the right label).
    package static func check(_ tarball: String, is version: String) async throws(LabError) {
        let found = try await self.version(of: tarball)
        guard found == version else {
            throw .notCPythonSource(tarball, reason: "it holds CPython \(found), not \(version)")
        }
    }

    /// The value of `#define PY_VERSION "..."` in patchlevel.h's text.
    package static func pyVersion(in text: String) -> String? {
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.count >= 3, words[0] == "#define", words[1] == "PY_VERSION" {
                return String(words[2].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            }
        }
        return nil
    }
}
