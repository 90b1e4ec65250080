import ArgumentParser
import FTLabRunner
import FTLabBuilds

extension LabCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a command inside the container lab (bwrap, no network).",
            discussion: """
                Runs COMMAND in the lab that `ftlab lab rootfs` built, with bwrap: the rootfs read-only, \
                /proc, /dev, the host's /sys read-only (for the topology), a private /tmp, no network. \
                The current directory is visible read-only at the same path and --results DIR is \
                the one writable folder, so relative paths work as outside. Inside, ftlab and the \
                pinned pair are on PATH, and every CSV row records the lab's id in its `lab` column.

                Before anything runs: bwrap must be installed (apt-get install bubblewrap), the \
                tarball's sha256 must be the recorded one (a changed tarball is refused) and the \
                results folder writable; otherwise exit 2. Then the exit status is COMMAND's.

                Examples:
                  ftlab lab run -- ftlab run --quick -o results/lab-quick.csv
                  ftlab lab run -- ftlab env
                  ftlab lab run --results out -- ftlab run log-processing --allocator jemalloc -o out/j.csv
                """)

        @Option(help: ArgumentHelp("The folder the command may write (default: results).", valueName: "DIR"))
        var results = "results"

        @Argument(parsing: .postTerminator, help: ArgumentHelp("-- COMMAND [ARGS...]", valueName: "command"))
        var command: [String] = []

        func run() async throws {
            let (bwrap, arguments) = try await ContainerSession.prepare(command: command, results: results)
            try ProcessPlacement.exec(program: bwrap, arguments: arguments)
        }
    }
}
