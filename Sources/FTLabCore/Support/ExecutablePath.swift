import Foundation

/// The absolute path of the running executable (`/proc/self/exe`).
public func executablePath() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        return resolved
    }
    return CommandLine.arguments[0]
}
