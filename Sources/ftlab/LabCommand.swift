import ArgumentParser
import FTLabCore
import FTLabInterpreters
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
            abstract: "Build (or verify) GIL + free-threaded CPython pairs from pinned sources.",
            discussion: """
                Builds one CPython source twice with identical flags, the second time with \
                --disable-gil, into the cache ($FTLAB_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/ftlab):
                  <cache>/pythons/cpython-X.Y.Z/bin/pythonX.Y
                  <cache>/pythons/cpython-X.Y.Zt/bin/pythonX.Yt
                each with an ftlab-manifest.json (origin, sha256, configure flags, compiler, sys.version, \
                and why that release was built).

                Which releases: the lock, lab/pythons.toml, lists each release with its acceptable \
                source files and their sha256, and marks with `verified = true` the releases this \
                project's CI builds and tests end to end (3.13.5, 3.14.7). Without --version, the \
                newest verified release whose source this machine can get is built and becomes the \
                default pair (`--python lab`); the output and `ftlab lab status` say which and why, \
                e.g. "3.15.0, 3.14.8: not verified here (build it with --version X.Y); built 3.14.7 \
                from mirror folder /srv/cpython". A series (--version 3.14) builds its newest locked \
                release whose source can be had, saying why it skipped newer ones; an unverified \
                release builds with a line saying so.
                  ftlab lab pythons --version 3.14          the newest locked 3.14.x that can be had
                  ftlab lab pythons --version 3.13,3.14,3.15
                  ftlab lab pythons --version all           the ladder: every locked release
                  ftlab lab pythons --source Python-3.12.9.tar.xz --sha256 HEX   any other release

                Where sources come from, in order: the cache (<cache>/sources; a fetched tarball \
                stays for good), the mirror folder (--source-dir DIR or $FTLAB_SOURCE_DIR, files by \
                name, for labs without a network; a file is matched by its digest, so a repacked \
                copy the lock names with its provenance, such as 3.14.7's, is accepted there), then the origin: Debian's source package through \
                apt-get under the lab's own sources list (lab/apt/<suite>-src.list; the system's \
                lists are never touched), or the URL through curl. Every file is checked against its \
                sha256; one that does not match is set aside in <cache>/sources/rejected and refused.

                A build takes about 2 minutes on 2 cores (no PGO, no pip; CPython's test modules are \
                kept: lockbench needs _testinternalcapi); --pgo adds --enable-optimizations --with-lto, \
                what distributions ship, takes 14-16 minutes per build, and its rows are labelled \
                cpython-X.Y.Z[t]-pgo. To measure PGO beside the plain pair, build it in a second \
                cache: FTLAB_CACHE=~/.cache/ftlab-pgo ftlab lab pythons --pgo --source-dir \
                ~/.cache/ftlab/sources. Builds that exist, probe correctly and follow today's flags \
                are kept ("already built"); a build cut off part way (Ctrl-C, kill -9) never appears \
                under pythons/ and is redone. Each build's output \
                goes to <cache>/logs/<label>.log. Build dependencies on Debian: apt-get install \
                \(LabPythons.buildPackages.joined(separator: " "))
                """
        )

        @Option(help: "Releases to build: X.Y (the newest locked X.Y.z), X.Y.Z, a comma-separated list, or all (default: the newest one this machine can get).")
        var version: String?

        @Option(help: "Build from this CPython source tarball instead: a file or a URL (needs --sha256 unless the lock knows its digest).")
        var source: String?

        @Option(name: .customLong("source-url"), help: .hidden)
        var sourceURL: String?

        @Option(help: "sha256 of the --source tarball.")
        var sha256: String?

        @Option(name: .customLong("source-dir"), help: "A mirror folder of source tarballs, looked up by file name (default: $\(SourceFinder.mirrorVariable)).")
        var sourceDir: String?

        @Flag(name: [.customLong("pgo"), .customLong("optimizations")], help: "Build with PGO and LTO (--enable-optimizations --with-lto); takes much longer.")
        var optimizations = false

        @Option(help: "Parallel make jobs (default: the number of CPUs).")
        var jobs: Int?

        @Flag(help: "Rebuild even when a verified build exists.")
        var force = false

        @Flag(name: .customLong("fetch-only"), help: "Get and verify the sources, print where they are, build nothing (fills a mirror folder).")
        var fetchOnly = false

        @OptionGroup var quietOptions: QuietOptions

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
            if source != nil, sourceURL != nil { throw ValidationError("--source and --source-url are the same option; give one") }
        }

        func run() async throws {
            let lockedDigests = Set(((try? PythonLock.load())?.releases ?? []).flatMap { $0.sources.map(\.sha256) })
            let request = try await LabBuildRequest(
                version: version, source: source ?? sourceURL, sha256: sha256, sourceDir: sourceDir,
                optimizations: optimizations, jobs: jobs, force: force, fetchOnly: fetchOnly,
                lockedDigests: lockedDigests)
            let reporter = PhaseReporter(quiet: quietOptions.quiet)
            let outcome = try await LabPythons.build(request, reporter: reporter)
            for tarball in outcome.sources {
                print(tarball)
            }
            for interpreter in outcome.pairs.joined() {
                reporter.say("\(interpreter.label): \(interpreter.path)\n    \(interpreter.sysVersion)")
            }
            if let chosen = outcome.chosenDefault {
                reporter.say("default pair (--python lab): \(chosen.version) (\(chosen.reason))")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show which lab interpreters are built, where, and their manifests.",
            discussion: "--format json prints one `ftlab.lab-status/1` object: cache, default_pair, ladder, builds.")

        @OptionGroup var format: FormatOptions<Self>

        func run() async throws {
            let status = LabStatus(cache: CacheDirectory())
            print(format.value == .json ? try JSONOutput.document("lab-status", status) + "\n" : status.text(), terminator: "")
        }
    }
}

extension LabCommand.Status: FormatChoices {
    static let command = "ftlab lab status"
    static let accepted: [OutputFormat] = [.text, .json]
    static let defaultFormat = OutputFormat.text
}
