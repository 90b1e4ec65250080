import ArgumentParser
import FTLabBuilds

extension LabCommand {
    struct Examples: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "examples",
            abstract: "Fetch CPython's Tools/ftscalingbench and Tools/lockbench (Debian's python3.X-examples).",
            discussion: """
                The ftscalingbench workload runs CPython's own Tools/ftscalingbench/ftscalingbench.py, \
                which this repository never copies. This command downloads Debian sid's \
                python3.X-examples package with apt-get under the lab's own sources list \
                (lab/apt/sid.list) and state folder (<cache>/apt/sid; the system's apt lists are never \
                touched), checks the file against the archive's signed index, and unpacks it with \
                dpkg-deb -x into
                  <cache>/tools/python3.X-examples-<version>/usr/share/doc/python3.X/examples/
                No system install, no root needed beyond reading the keyring. `ftlab list` then shows \
                the script found, its sha256 and its registered benchmarks (the variants).

                Other places the workload looks, newest CPython version first: a lab source tree \
                (<cache>/build/cpython-3.14.x/Tools/ftscalingbench/), an installed \
                /usr/share/doc/python3.X/examples/. FTLAB_FTSCALINGBENCH=PATH (the file, its folder, \
                a CPython source tree or an unpacked package) overrides them all.

                Examples:
                  ftlab lab examples                 # python3.15-examples (3.15.x)
                  ftlab lab examples --version 3.14  # python3.14-examples (3.14.x)
                """
        )

        @Option(help: "CPython minor version of the examples package: \(ExamplesPackage.versions.joined(separator: " or ")) (default: \(ExamplesPackage.defaultVersion)).")
        var version: String = ExamplesPackage.defaultVersion

        func validate() throws {
            do { _ = try ExamplesPackage(version: version) } catch { throw ValidationError(error.description) }
        }

        func run() async throws {
            let package = try ExamplesPackage(version: version)
            let fetched = try await package.fetch()
            print("\(package.package) \(fetched.debianVersion) (sha256 \(fetched.sha256), checked against the archive's index)"
                + (fetched.alreadyThere ? ": already unpacked" : ": unpacked"))
            print("  \(fetched.folder)")
            for script in fetched.scripts { print("  \(script)") }
        }
    }
}
