import Foundation
import FTLabCore

/// log-processing's input for the native implementation: the very lines and truth the Python
/// workload generates, written by its own generator (`workload.py export`) and read back.
/// One generator keeps both sides on the same input; porting CPython's `random` module
/// (Mersenne Twister plus its distributions) would be a second, fragile copy of it.
package final class LogInput: @unchecked Sendable {
    /// The generator's record of one line: nil for a deliberately malformed line.
    package struct Truth: Decodable, Equatable {
        package var ip: String
        package var path: String
        package var status: String
        package var bytes: Int

        package init(from decoder: Decoder) throws {
            var fields = try decoder.unkeyedContainer()
            ip = try fields.decode(String.self)
            path = try fields.decode(String.self)
            status = try fields.decode(String.self)
            bytes = try fields.decode(Int.self)
        }
    }

    private struct Document: Decodable {
        package var lines: [String]
        package var truth: [Truth?]
    }

    package let truth: [Truth?]
    /// Every line's bytes, back to back; never moved while the input lives, so byte ranges
    /// of it can key dictionaries without copying.
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// Line i is `storage[offsets[i]..<offsets[i + 1]]`.
    private let offsets: [Int]

    package var count: Int { truth.count }

    package init(lines: [String], truth: [Truth?]) {
        self.truth = truth
        var offsets = [0]
        for line in lines { offsets.append(offsets[offsets.count - 1] + line.utf8.count) }
        storage = .allocate(capacity: max(1, offsets[offsets.count - 1]))
        var position = 0
        for line in lines {
            for byte in line.utf8 {
                storage[position] = byte
                position += 1
            }
        }
        self.offsets = offsets
    }

    deinit { storage.deallocate() }

    /// The bytes of line `index`.
    package func line(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: storage[offsets[index]..<offsets[index + 1]])
    }

    /// Runs the workload's generator for `count` lines from `seed` and reads its output.
    package static func generate(count: Int, seed: Int, workloadDirectory: String,
                                 preferredPython: String? = nil) async throws(NativeError) -> LogInput {
        let python = try generatorPython(preferred: preferredPython)
        let output = NSTemporaryDirectory() + "ftlab-log-input-\(getpid()).json"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let script = (workloadDirectory as NSString).appendingPathComponent("workload.py")
        // The generator's stdout is progress for the user, never part of the protocol.
        let generator = HostCommand(python, [script, "export", output, String(count), String(seed)],
                                    output: .standardError, error: .inherited)
        guard let outcome = await generator.run() else {
            throw .generator("cannot start the input generator \(python)")
        }
        guard outcome.succeeded else {
            throw .generator("the input generator \(python) \(script) export failed with status \(outcome.status) (its stderr is above)")
        }
        do {
            let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
            guard document.lines.count == document.truth.count, document.lines.count == count else {
                throw NativeError.generator("the input generator wrote \(document.lines.count) lines and \(document.truth.count) truths for \(count)")
            }
            return LogInput(lines: document.lines, truth: document.truth)
        } catch let error as NativeError {
            throw error
        } catch {
            throw .generator("cannot read the generated input \(output): \(error)")
        }
    }

    /// The Python that runs the generator: `preferred` when it is executable (`ftlab _native`
    /// passes the lab's GIL build), else `python3` on PATH.
    package static func generatorPython(preferred: String?) throws(NativeError) -> String {
        if let preferred, FileManager.default.isExecutableFile(atPath: preferred) { return preferred }
        if let python = findOnPath("python3") { return python }
        throw .generator("log-processing's native run needs a Python to generate its input: build the lab pair (`ftlab lab pythons`) or put python3 on PATH")
    }
}
