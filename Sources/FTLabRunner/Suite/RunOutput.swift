import Foundation
import FTLabCore

/// Where a run's rows go, and the policy for a file that is already there: a file with rows
/// is refused unless the run resumes it; a resumed file keeps its run id, drops the rows of
/// processes it holds only in part (they run again), and its complete processes are skipped.
public struct RunOutput: Sendable {
    /// The results CSV.
    public var path: String
    /// The per-process stderr logs, beside the CSV (`RUN.logs/`).
    public var logDirectory: String
    /// Keys (``Suite/unitKey(_:)``) of the processes the file already holds in full.
    public var completed: Set<String> = []
    /// What the user should hear about the file (a dropped torn tail, partial processes).
    public var warnings: [String] = []
    /// Held while the run lives: a second run on the same file is refused at once.
    public let lock: OutputLock
    /// The rows a resumed file keeps (its complete processes), in file order; empty otherwise.
    public var earlierRows: [ResultRow] = []

    /// Where runs without `-o` go: a folder of their own under `results/`, which the checkout
    /// ignores, so what users generate never mixes with the published results.
    public static let localFolder = "results/local"

    /// `results/local/run-<UTC time>.csv`.
    public static func defaultPath(prefix: String = "run", now: Date = Date()) -> String {
        let stamp = RunIdentity.newRunID(at: now).id.split(separator: "-").first.map(String.init) ?? "run"
        return "\(localFolder)/\(prefix)-\(stamp).csv"
    }

    /// The log folder of the CSV at `path`.
    public static func logDirectory(for path: String) -> String { ResultFile.logDirectory(for: path) }

    /// Applies the policy to `path` before a run starts. When resuming, `identity` takes the
    /// file's run id and start time, so the finished file reads as one run. Taking the lock
    /// creates the log folder.
    public static func prepare(path: String, resume: Bool, samplesPerProcess: Int,
                               identity: inout RunIdentity) throws -> RunOutput {
        // The lock comes first: between "the file has only a header" and "it has rows" no
        // second run may look at it, let alone truncate it.
        var output = RunOutput(path: path, logDirectory: logDirectory(for: path), lock: try OutputLock(for: path))
        let exists = FileManager.default.fileExists(atPath: path)
        if resume, exists {
            let existing = try ResultReader(path: path)
            output.warnings += existing.warnings
            if let tail = existing.rejectedTail {
                try setAside(tail, from: path)
                output.warnings.append("set the malformed last line aside in \(path).rejected")
            }
            let state = Suite.completedUnits(in: existing.rows, samplesPerProcess: samplesPerProcess)
            output.completed = state.complete
            if let first = existing.rows.first {
                if first.shard != identity.shard || first.planID != identity.planID {
                    func describe(_ shard: String, _ plan: String) -> String {
                        shard.isEmpty ? "an unsharded run" : "shard \(shard) of plan \(plan)"
                    }
                    throw ShardError.resumedOther(path: path, found: describe(first.shard, first.planID),
                                                  expected: describe(identity.shard, identity.planID))
                }
                identity.runID = first.runID
                identity.startedUTC = first.startedUTC
            }
            output.earlierRows = existing.rows.filter { !state.partial.contains(Suite.unitKey($0)) }
            if !state.partial.isEmpty {
                output.warnings.append("dropped the rows of \(state.partial.count) partly written process(es); they run again")
            }
            // One rewrite leaves out both the set-aside tail and the partial processes.
            if existing.rejectedTail != nil || !state.partial.isEmpty {
                try ResultFile.rewrite(path: path, keeping: output.earlierRows)
            }
        } else if exists {
            let rows = (try? ResultReader(path: path).rows.count) ?? 0
            if rows > 0 { throw RunOutputError.holdsRows(path: path, rows: rows) }
        }
        return output
    }
}

extension RunOutput {
    /// Appends `tail` to `path.rejected`, so nothing the file held is lost.
    static func setAside(_ tail: String, from path: String) throws(RunOutputError) {
        let rejected = path + ".rejected"
        guard FileManager.default.fileExists(atPath: rejected) || FileManager.default.createFile(atPath: rejected, contents: nil),
              let handle = FileHandle(forWritingAtPath: rejected) else {
            throw .cannotSetAside(path: rejected)
        }
        defer { try? handle.close() }
        do {
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(tail.utf8))
            try handle.synchronize()
        } catch {
            throw .cannotSetAside(path: rejected)
        }
    }
}

/// Why a run cannot write where it was told to.
public enum RunOutputError: FTLabError, Equatable {
    case holdsRows(path: String, rows: Int)
    case cannotSetAside(path: String)

    public var description: String {
        switch self {
        case let .holdsRows(path, rows):
            "\(path) already holds \(rows) rows; pass --resume to continue it or choose another -o"
        case let .cannotSetAside(path): "cannot write \(path) to set the malformed last line aside; nothing was changed"
        }
    }
}
