import ArgumentParser
import Foundation
import FTLabCore
import FTLabBuilds

struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Pack ftlab, the corpus and lab pythons into one .tar.xz that runs on a Linux without Swift, apt or network.",
        discussion: """
            The archive holds one folder, ftlab-bundle-<version>/: the launcher ./ftlab, bin/ftlab (this \
            one, or --ftlab), Workloads/, lab/pythons.toml, pythons/<label>/ for each lab python (stripped \
            of what a measurement never imports: test, idlelib, tkinter, turtledemo, lib2to3, ensurepip's \
            wheels, __pycache__, the static libpython, share/man), lib/ with libnuma.so.1 and the \
            allocators installed here (bundle.json says "not in this bundle" for the others), bundle.json \
            and MANIFEST.json (every file's size and sha256).

            Ship a static ftlab, so that the Swift runtime travels inside it:
              swift build -c release --static-swift-stdlib --product ftlab
              .build/release/ftlab bundle -o ftlab-bundle.tar.xz
            On the other machine, as any user, anywhere:
              tar -xJf ftlab-bundle.tar.xz && cd ftlab-bundle-*/ && ./ftlab run --quick -o quick.csv
            From the bundle, --python lab means the bundled pair; every row's bundle column holds the \
            bundle id, the sha256 of its MANIFEST.json (the archive's own sha256 cannot be inside it). \
            Every start checks each file's size and the sha256 of the corpus and lab/ against the \
            manifest and refuses (exit 2) naming the first file that differs; --verify DIR checks every \
            file's sha256. Workloads with PyPI requirements do not run from a bundle (no pip wheel, \
            no network).

            Exit codes: 0 packed (or verified); 2 bad input, a lab python not built, a bundle that does not match.
            """)

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The archive to write.", valueName: "FILE.tar.xz"))
    var output: String?

    @Option(help: ArgumentHelp(
        "Lab pythons to pack, comma-separated: lab (the default pair), a release X.Y.Z (its pair) or a label such as cpython-3.13.5t.",
        valueName: "LABELS"))
    var python: String?

    @Option(name: .customLong("ftlab"), help: ArgumentHelp(
        "The ftlab binary to pack (default: this one; a static release build runs without Swift).", valueName: "PATH"))
    var binary: String?

    @Option(help: ArgumentHelp("Check an unpacked bundle's every file against its MANIFEST.json (sha256 too), pack nothing.",
                               valueName: "DIR"))
    var verify: String?

    func validate() throws {
        if verify != nil {
            guard output == nil, python == nil, binary == nil else {
                throw ValidationError("--verify checks a bundle and packs nothing; leave out -o, --python and --ftlab")
            }
            return
        }
        guard let output else { throw ValidationError("missing -o FILE.tar.xz: the archive to write") }
        guard output.hasSuffix(".tar.xz") else { throw ValidationError(BundleError.badOutput(output).description) }
    }

    func run() async throws {
        if let verify {
            let (home, manifest) = try await BundleHome.verify(verify)
            print("bundle \(home.root): all \(manifest.files.count) files match MANIFEST.json")
            print("  id  \(home.id())")
            return
        }
        let output = (output! as NSString).standardizingPath
        let binary = binary.map { ($0 as NSString).standardizingPath } ?? executablePath()
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ValidationError("--ftlab \(binary) is not an executable file")
        }
        let cache = CacheDirectory()
        let labels = try BundleBuilder.labels(for: python, cache: cache)
        let absolute = output.hasPrefix("/") ? output : FileManager.default.currentDirectoryPath + "/" + output
        let packed = try await BundleBuilder(binary: binary, labels: labels, cache: cache).pack(to: absolute)
        print("""
            bundle: \(packed.archive)
              size      \(mebibytes(packed.archiveBytes)) (\(mebibytes(packed.unpackedBytes)) unpacked, \(packed.fileCount) files)
              id        \(packed.id) (sha256 of \(packed.folder)/MANIFEST.json; the rows' bundle column)
              pythons   \(labels.joined(separator: ", "))
            """)
        for (name, where_) in packed.allocators.sorted(by: { $0.key < $1.key }) { print("  \(name.padding(toLength: 9, withPad: " ", startingAt: 0)) \(where_)") }
        print("  run       tar -xJf \((packed.archive as NSString).lastPathComponent) && cd \(packed.folder) && ./ftlab run --quick")
    }

    private func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
