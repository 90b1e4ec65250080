import Foundation

/// Writes a finished report to its file.
public enum ReportOutput {
    /// Replaces `path` atomically with `text`; a missing folder or a refused write is a
    /// `ReportError.cannotWrite` that says which.
    public static func write(_ text: String, to path: String) throws(ReportError) {
        let folder = (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) {
            throw .cannotWrite(path: path, reason: "the folder \(folder) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw .cannotWrite(path: path, reason: "it is a folder")
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
    }
}
