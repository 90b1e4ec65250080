import Foundation
import FTLabCore
import FTLabHarness
import FTLabLoadGen

/// The readers under fuzzing, one entry each: what a fuzz target does with one input. The
/// libFuzzer binary (Tests/Fuzz/Target, the entry named by its first argument), its replay mode and the regression tests
/// (Tests/FTLabTests/Fuzz) all call these, so a committed crash input replays exactly.
///
/// An entry returns normally for every input; a trap (overflow, index out of range, a failed
/// force unwrap or `precondition`) is a finding.
package enum FuzzEntry: String, CaseIterable, Sendable {
    case resultsCSV = "results-csv"
    case workloadManifest = "workload-manifest"
    case harnessProtocol = "harness-protocol"
    case httpResponse = "http-response"

    /// Runs the entry on one input.
    package func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .resultsCSV: Self.resultsCSV(bytes)
        case .workloadManifest: Self.workloadManifest(bytes)
        case .harnessProtocol: Self.harnessProtocol(bytes)
        case .httpResponse: Self.httpResponse(bytes)
        }
    }

    /// Runs the entry on one input.
    package func run(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { run($0) }
    }

    /// `ResultReader(text:path:)`; a file it accepts, written back by `ResultWriter.encode`,
    /// must read again with the same number of rows (what `merge` and `--resume` rely on).
    static func resultsCSV(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        let reader: ResultReader
        do {
            reader = try ResultReader(text: text, path: "fuzz.csv")
        } catch {
            _ = error.description
            return
        }
        _ = reader.warnings
        guard !reader.rows.isEmpty else { return }
        let written = ResultWriter.encode([ResultRow.columns] + reader.rows.map(\.fields))
        do {
            let again = try ResultReader(text: written, path: "rewritten.csv")
            precondition(again.rows.count == reader.rows.count && again.rejectedTail == nil,
                         "rows read back: \(again.rows.count) of \(reader.rows.count)")
        } catch {
            preconditionFailure("rows ftlab wrote do not read back: \(error)")
        }
    }

    /// `WorkloadManifest.parse(_:path:)`; an accepted manifest also renders its harness JSON.
    static func workloadManifest(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let manifest = try WorkloadManifest.parse(text, path: "workload.toml")
            _ = manifest.harnessJSON
        } catch {
            _ = error.description
        }
    }

    /// `HarnessTranscript.parse` (each line through `HarnessMessage.parse`, then the order
    /// checks), and the whole input as one line; a listening message also builds its requests.
    static func harnessProtocol(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        let (transcript, error) = HarnessTranscript.parse(text)
        _ = error?.description
        if let listening = transcript.listening {
            for check in listening.requests { _ = check.request(port: UInt16(listening.port)) }
        }
        do { _ = try HarnessMessage.parse(text) } catch { _ = error.description }
    }

    /// `ResponseReader` as the load generator drives it: bytes arrive in pieces (the first
    /// input byte sets their size), every complete response's body is checksummed and consumed,
    /// a `Connection: close` or an error resets the reader.
    static func httpResponse(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let first = bytes.first else { return }
        let piece = Int(first % 64) + 1
        let stream = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[1...])
        var reader = ResponseReader()
        var offset = 0
        while offset < stream.count {
            let end = min(offset + piece, stream.count)
            reader.append(UnsafeRawBufferPointer(rebasing: stream[offset..<end]))
            offset = end
            do {
                while let head = try reader.next() {
                    precondition(head.length > 0 && head.totalLength <= reader.buffer.count, "a head past the buffer")
                    _ = reader.buffer.withUnsafeBufferPointer {
                        CRC32.checksum(UnsafeBufferPointer(rebasing: $0[head.length..<head.totalLength]))
                    }
                    reader.consume(head)
                    if head.closes { reader.reset() }
                }
            } catch {
                _ = error.description
                reader.reset()
            }
        }
    }
}

/// libFuzzer's per-input callback: the shape of `LLVMFuzzerTestOneInput`.
package typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

#if FTLAB_FUZZING
/// libFuzzer's driver (linked by `-sanitize=fuzzer`): parses libFuzzer's flags and fuzzes.
@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzCallback) -> CInt
#endif

/// The fuzz binary's `main` (Tests/Fuzz/Target): its first argument names the entry
/// (`FuzzEntry`'s raw values), the rest is for libFuzzer or the replay. Built by
/// Tests/Fuzz/run-fuzzers.sh (`-sanitize=fuzzer`, `-DFTLAB_FUZZING`): libFuzzer's driver with the
/// rest of the command line. A plain build: replays the files named (a folder: every file in it,
/// sorted) through the same callback, one line each.
package enum FuzzMain {
    /// The entry the first argument chose; read by the binary's `LLVMFuzzerTestOneInput`.
    nonisolated(unsafe) package static var selected = FuzzEntry.resultsCSV

    package static func run(_ callback: FuzzCallback) -> Never {
        let names = FuzzEntry.allCases.map(\.rawValue).joined(separator: "|")
        guard CommandLine.arguments.count > 1, let entry = FuzzEntry(rawValue: CommandLine.arguments[1]) else {
            let given = CommandLine.arguments.dropFirst().first.map { "unknown entry '\($0)'; " } ?? ""
            print("\(given)usage: ftlab-fuzz \(names) FILE|FOLDER...  (replays inputs; Tests/Fuzz/run-fuzzers.sh fuzzes)")
            exit(2)
        }
        selected = entry
        #if FTLAB_FUZZING
        // libFuzzer reads its flags and corpus folders from argv: argv without the entry's name.
        var argv = [CommandLine.unsafeArgv[0]] + (2..<Int(CommandLine.argc)).map { CommandLine.unsafeArgv[$0] } + [nil]
        var argc = CommandLine.argc - 1
        exit(argv.withUnsafeMutableBufferPointer { buffer in
            var base = buffer.baseAddress!
            return LLVMFuzzerRunDriver(&argc, &base, callback)
        })
        #else
        let arguments = Array(CommandLine.arguments.dropFirst(2))
        guard !arguments.isEmpty else {
            print("usage: ftlab-fuzz \(entry.rawValue) FILE|FOLDER...  (replays inputs; Tests/Fuzz/run-fuzzers.sh fuzzes)")
            exit(2)
        }
        for path in inputs(arguments) {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read")
                exit(1)
            }
            _ = Array(data).withUnsafeBufferPointer { callback($0.baseAddress, $0.count) }
            print("\(path): ok (\(data.count) bytes)")
        }
        exit(0)
        #endif
    }

    /// The files `arguments` name, a folder standing for the files in it.
    package static func inputs(_ arguments: [String]) -> [String] {
        arguments.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
    }
}
