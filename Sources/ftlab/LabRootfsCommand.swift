import ArgumentParser
import Foundation
import FTLabCore
import FTLabBuilds

extension LabCommand {
    struct Rootfs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rootfs",
            abstract: "Build (or verify) the container lab: a pinned bookworm rootfs with ftlab and the pair inside.",
            discussion: """
                Builds a Debian bookworm minbase rootfs with mmdebstrap from lab/packages.txt, with \
                SOURCE_DATE_EPOCH fixed so two builds against the same archive give the same bits, \
                into the cache ($FTLAB_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/ftlab):
                  <cache>/lab/rootfs.tar            the tarball; its sha256 is the lab's id
                  <cache>/lab/rootfs.tar.sha256     checked before every use: a changed tarball is refused
                  <cache>/lab/rootfs.tar.manifest   package=version of every installed package
                Then unpacks it into <cache>/lab/tree, installs this ftlab (or --ftlab), the corpus and \
                lab/ under /opt/ftlab, and builds the pinned pair inside with `ftlab lab pythons`.
                A tarball of the same recipe is kept ("already built") unless --force.

                Needs root (mmdebstrap's root mode), mmdebstrap and bubblewrap: \
                apt-get install mmdebstrap bubblewrap. The ftlab installed must run without a Swift \
                toolchain: build it with swift build -c release --static-swift-stdlib.
                Cold: about 2-3 minutes for the rootfs and 5-6 for the pair on 2 cores.
                Then: ftlab lab run -- ftlab run --quick -o results/lab.csv
                """)

        @Option(name: .customLong("ftlab"), help: ArgumentHelp(
            "The ftlab binary to install in the lab (default: this one).", valueName: "PATH"))
        var binary: String?

        @Flag(help: "Rebuild the rootfs tarball even when one of the same recipe exists.")
        var force = false

        @Flag(name: .customLong("check-reproducible"), help: "Build the tarball a second time and fail unless the sha256 is the same.")
        var checkReproducible = false

        @OptionGroup var quietOptions: QuietOptions

        func run() async throws {
            let binary = binary.map { ($0 as NSString).standardizingPath } ?? executablePath()
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                throw ValidationError("--ftlab \(binary) is not an executable file")
            }
            let reporter = PhaseReporter(quiet: quietOptions.quiet)
            let lab = try await ContainerAssembly(reporter: reporter).build(
                binary: binary, force: force, checkReproducible: checkReproducible)
            reporter.say("""
                lab: ready
                  id        \(lab.id)
                  rootfs    \(lab.rootfs.tarball) (\(lab.packageCount) packages: \(lab.rootfs.manifest))
                  tree      \(lab.rootfs.tree)
                  run       ftlab lab run -- ftlab run --quick -o results/lab-quick.csv
                """)
        }
    }
}
