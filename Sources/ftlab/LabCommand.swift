import ArgumentParser
import FTLabCore
import FTLabRunner
import FTLabAnalysis
import FTLabExplain
import FTLabBuilds

struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Build and inspect the lab: the pinned interpreters, the container rootfs, CPython's example scripts.",
        subcommands: [Pythons.self, Status.self, Rootfs.self, Run.self, Examples.self]
    )

    struct Pythons: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pythons",
            abstract: "Build (or verify) the pinned GIL + free-threaded CPython pair.",
            discussion: """
                Builds one CPython source twice with identical flags, the second time with \
                --disable-gil, into the cache ($FTLAB_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/ftlab):
                  <cache>/pythons/cpython-3.13.5/bin/python3.13
                  <cache>/pythons/cpython-3.13.5t/bin/python3.13t
                each with an ftlab-manifest.json (source sha256, configure flags, compiler, sys.version).

                The pinned source is CPython 3.13.5 from Debian trixie's python3.13 source package, \
                fetched with apt-get under the lab's own sources list (lab/apt/trixie-src.list; the \
                system's lists are never touched) and checked against its sha256. Elsewhere, build \
                from a tarball instead, e.g. python.org's Python-3.14.0.tar.xz:
                  ftlab lab pythons --source-url URL --sha256 HEX
                (labels then follow the version: cpython-3.14.0, cpython-3.14.0t).

                A build takes 2-3 minutes on 2 cores (no PGO, no pip, no test suite). Builds that \
                exist and probe correctly are kept ("already built"); a build cut off part way \
                (Ctrl-C, kill -9) never appears under pythons/ and is redone. Each build's output goes to \
                <cache>/logs/<label>.log. Build dependencies on Debian: apt-get install \
                \(LabPythons.buildPackages.joined(separator: " "))
                """
        )

        @Option(help: "CPython version X.Y.Z (default: \(LabPythons.pinnedVersion), or the version in --source-url's file name).")
        var version: String?

        @Option(name: .customLong("source-url"), help: "Build from this tarball URL instead of the pinned Debian source.")
        var sourceURL: String?

        @Option(help: "sha256 of the --source-url tarball (required with it).")
        var sha256: String?

        @Flag(help: "Build with PGO and LTO (--enable-optimizations --with-lto); takes much longer.")
        var optimizations = false

        @Option(help: "Parallel make jobs (default: the number of CPUs).")
        var jobs: Int?

        @Flag(help: "Rebuild even when a verified build exists.")
        var force = false

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
        }

        func run() async throws {
            let options = try LabBuildOptions(
                version: version, sourceURL: sourceURL, sha256: sha256,
                optimizations: optimizations, jobs: jobs, force: force)
            let reporter = PhaseReporter()
            let pair = try await LabPythons.build(options, reporter: reporter)
            for interpreter in pair {
                reporter.say("\(interpreter.label): \(interpreter.path)\n    \(interpreter.sysVersion)")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show which lab interpreters are built, where, and their manifests.")

        @Flag(help: "Print the manifests as a JSON array.")
        var json = false

        func run() async throws {
            let cache = LabCache()
            let builds = LabPythons.builds(cache: cache)
            if json {
                print("[" + builds.map { $0.json() }.joined(separator: ",\n") + "]")
                return
            }
            print("cache: \(cache.root)")
            for label in LabPythons.pinnedLabels where !builds.contains(where: { $0.label == label }) {
                print("\(label): not built (run `ftlab lab pythons`)")
            }
            for manifest in builds {
                print("""
                    \(manifest.label): \(manifest.executable)
                        sys.version   \(manifest.sysVersion)
                        source        \(manifest.source.file) sha256 \(manifest.source.sha256)
                        configure     \(manifest.configureFlags.joined(separator: " "))
                        compiler      \(manifest.compiler)
                        built         \(manifest.builtUTC) in \(Int(manifest.buildSeconds)) s
                    """)
                if !manifest.missingModules.isEmpty {
                    print("    missing       \(manifest.missingModules.joined(separator: ", "))")
                }
            }
        }
    }
}
