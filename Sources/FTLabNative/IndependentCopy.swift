import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// buffered-copy/independent in Swift: thread i copies its own file chunk by chunk through
/// C stdio streams with a `buffer_size`-byte buffer (`setvbuf`), the native counterpart of
/// `open(..., buffering=B)`; each stream has its own lock, like the free-threaded build's
/// BufferedReader/BufferedWriter. The same chain as workload.py: when a pass ends, the copy
/// becomes the source of the next one; verify() checks the finished file and the pass in
/// progress against the original bytes.
package final class IndependentCopy: NativeWorkload, @unchecked Sendable {
    /// One thread's two files and streams; touched only by its own thread until verify().
    package final class Chain {
        package let paths: [String]
        package var source = 0
        package var passes = 0
        package var copied = 0
        package var reader: UnsafeMutablePointer<FILE>?
        package var writer: UnsafeMutablePointer<FILE>?
        package let scratch: UnsafeMutableRawPointer

        package init(paths: [String], chunk: Int) {
            self.paths = paths
            scratch = .allocate(byteCount: chunk, alignment: 16)
        }

        deinit { scratch.deallocate() }

        package var src: String { paths[source] }
        package var dst: String { paths[1 - source] }

        package func open(buffer: Int) throws(NativeError) {
            reader = try Self.stream(src, mode: "rb", buffer: buffer)
            writer = try Self.stream(dst, mode: "wb", buffer: buffer)
        }

        package func close() throws(NativeError) {
            if let reader { fclose(reader) }
            reader = nil
            if let writer, fclose(writer) != 0 { throw .io("cannot write \(dst): \(String(cString: strerror(errno)))") }
            writer = nil
        }

        /// The pass is complete: the copy becomes the source.
        package func turn(buffer: Int) throws(NativeError) {
            try close()
            source = 1 - source
            passes += 1
            try open(buffer: buffer)
        }

        package static func stream(_ path: String, mode: String, buffer: Int) throws(NativeError) -> UnsafeMutablePointer<FILE> {
            guard let file = fopen(path, mode) else { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
            guard setvbuf(file, nil, _IOFBF, buffer) == 0 else { throw .io("setvbuf(\(buffer)) failed for \(path)") }
            return file
        }
    }

    private let settings: NativeSettings
    private let chunk: Int
    private let buffer: Int
    private let size: Int
    private let requestedDirectory: String
    private var root: String?
    private var chains: [Chain] = []

    package init(_ settings: NativeSettings) throws(NativeError) {
        self.settings = settings
        chunk = try CopyContent.parseSize("chunk_size", settings.params["chunk_size"] ?? "")
        buffer = try CopyContent.parseSize("buffer_size", settings.params["buffer_size"] ?? "")
        guard chunk >= 2 * CopyContent.headLength else {
            throw .badParameter("param 'chunk_size' must be at least \(2 * CopyContent.headLength) bytes, not \(chunk)")
        }
        size = try CopyContent.parseSize("file_size", settings.params["file_size"] ?? "") / chunk * chunk
        guard size > 0 else { throw .badParameter("param 'file_size' must be at least one chunk") }
        requestedDirectory = settings.params["dir"] ?? CopyDirectory.defaultDirectory
        let impl = settings.params["impl"] ?? "io"
        guard impl == "io" else {
            throw .badParameter("param 'impl': the native ceiling copies with C stdio streams; impl=\(impl) has no native counterpart")
        }
    }

    /// File `file`'s original content (its first `length` bytes), in blocks.
    package func original(_ file: Int, length: Int? = nil) -> CopyContent.Blocks {
        CopyContent.blocks(seed: settings.seed, file: file, size: size, chunk: chunk, length: length)
    }

    package func prepare() async throws(NativeError) {
        let root = try CopyDirectory.make(requested: requestedDirectory)
        self.root = root
        for i in 0..<settings.threads {
            let chain = Chain(paths: ["\(root)/\(i)-a", "\(root)/\(i)-b"], chunk: chunk)
            let file = try Chain.stream(chain.src, mode: "wb", buffer: buffer)
            for block in original(i) where fwrite(block, 1, block.count, file) != block.count {
                throw .io("cannot write \(chain.src): \(String(cString: strerror(errno)))")
            }
            guard fclose(file) == 0 else { throw .io("cannot write \(chain.src): \(String(cString: strerror(errno)))") }
            try chain.open(buffer: buffer)
            chains.append(chain)
        }
    }

    package func run(thread: Int, batch: Int) throws(NativeError) -> Int {
        let chain = chains[thread]
        for _ in 0..<batch {
            var got = fread(chain.scratch, 1, chunk, chain.reader)
            if got == 0 {  // the pass is complete: now copy the copy
                try chain.turn(buffer: buffer)
                got = fread(chain.scratch, 1, chunk, chain.reader)
            }
            guard fwrite(chain.scratch, 1, got, chain.writer) == got else {
                throw .io("cannot write \(chain.dst): \(String(cString: strerror(errno)))")
            }
        }
        chain.copied += batch * chunk
        return batch * chunk
    }

    package func verify() throws(NativeError) -> NativeVerdict {
        var observed = SHA256(), expected = SHA256()
        var problems: [String] = []
        for (i, chain) in chains.enumerated() {
            try chain.close()
            let partial = chain.copied - chain.passes * size
            if !(0...size).contains(partial) { problems.append("thread \(i): copied \(partial) bytes into a pass of \(size)") }
            let files = [(chain.src, "after \(chain.passes) passes", original(i)),
                         (chain.dst, "pass in progress", original(i, length: max(0, partial)))]
            for (path, state, want) in files {
                if let difference = Self.compare(path, with: want, observed: &observed, expected: &expected) {
                    problems.append("thread \(i): \((path as NSString).lastPathComponent) (\(state)): \(difference)")
                }
            }
        }
        return NativeVerdict(ok: problems.isEmpty, checksum: observed.hexDigest(), expected: expected.hexDigest(),
                             detail: problems.joined(separator: "; "))
    }

    /// Feeds a file and its wanted content, block by block, to the two hashes; nil when
    /// they are equal, else how they differ (workload.py's `compare_file`).
    package static func compare(_ path: String, with wanted: CopyContent.Blocks, observed: inout SHA256, expected: inout SHA256) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "cannot be read" }
        defer { try? handle.close() }
        var gotTotal = 0, wantTotal = 0
        var first: Int?
        for want in wanted {
            let got = [UInt8]((try? handle.read(upToCount: want.count)) ?? Data())
            observed.update(got)
            expected.update(want)
            if first == nil, got != want {
                first = gotTotal + (zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count))
            }
            gotTotal += got.count
            wantTotal += want.count
        }
        while let extra = try? handle.read(upToCount: CopyContent.Blocks.blockBytes), !extra.isEmpty {
            observed.update([UInt8](extra))
            gotTotal += extra.count
        }
        if first == nil, gotTotal != wantTotal { first = min(gotTotal, wantTotal) }
        return first.map { "\(gotTotal) bytes where \(wantTotal) were expected, first difference at byte \($0)" }
    }

    /// Removes the folder (open streams need no closing: the process is ending).
    package func cleanup() {
        if let root { try? FileManager.default.removeItem(atPath: root) }
    }
}
