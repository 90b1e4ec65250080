import FTLabCore
/// Why the container lab (`ftlab lab rootfs`, `ftlab lab run`) could not be built or entered.
/// Exit 2 for bad input and refusals, 1 when a build step itself failed.
public enum ContainerError: FTLabError, Equatable {
    /// A host tool is not installed; `package` is the Debian package that provides it.
    case missingTool(tool: String, package: String)
    /// `lab/packages.txt` was not found in the checkout.
    case packageListNotFound(searched: [String])
    /// A line of the package list is not one Debian package name.
    case badPackageList(file: String, line: Int, reason: String)
    /// No rootfs tarball in the cache yet.
    case notBuilt(tarball: String)
    /// The tarball's sha256 is not the one recorded when it was built: corrupted or tampered.
    case checksumMismatch(tarball: String, expected: String, actual: String)
    /// The recorded sha256 file is missing or unreadable.
    case badChecksumFile(path: String)
    /// A build step failed; `tail` holds the last lines of its log.
    case stepFailed(step: String, log: String, tail: String)
    /// A file of the lab could not be written.
    case cannotWrite(path: String, reason: String)
    /// `ftlab lab pythons` inside the lab exited with `status`.
    case pairFailed(status: Int32, logs: String)
    /// A second build of the same recipe gave a different tarball.
    case notReproducible(first: String, second: String, manifests: [String])
    /// Fetching the pinned CPython source for the lab failed.
    case source(LabError)
    /// The ftlab binary to install does not run inside the rootfs.
    case binaryDoesNotRun(binary: String, output: String)
    /// The unpacked lab is missing or came from another tarball.
    case labNotAssembled(tree: String)
    /// The results directory cannot be written (or would hide part of the lab).
    case resultsNotWritable(path: String, reason: String)
    /// `ftlab lab run` without a command after `--`.
    case missingCommand

    public var exitCode: Int32 {
        switch self {
        case .stepFailed, .pairFailed, .notReproducible: 1
        case .source(let error): error.exitCode
        default: 2
        }
    }

    public var description: String {
        switch self {
        case let .missingTool(tool, package):
            "\(tool) is not installed; install it with: apt-get install \(package)"
        case let .packageListNotFound(searched):
            "the lab's package list lab/packages.txt was not found above \(searched.joined(separator: " or "));"
                + " run ftlab from its checkout"
        case let .badPackageList(file, line, reason):
            "\(file):\(line): \(reason); expected one Debian package name per line (# starts a comment)"
        case let .notBuilt(tarball):
            "no lab rootfs at \(tarball); build it with: ftlab lab rootfs (root, with mmdebstrap and bubblewrap)"
        case let .checksumMismatch(tarball, expected, actual):
            "refusing \(tarball): its sha256 is \(actual), but \(expected) was recorded when it was built;"
                + " it is corrupted or was changed. Rebuild it with: ftlab lab rootfs --force"
        case let .badChecksumFile(path):
            "cannot read the rootfs sha256 from \(path); rebuild with: ftlab lab rootfs --force"
        case let .stepFailed(step, log, tail):
            "lab \(step) failed; last lines of \(log):\n\(tail)\nfull log: \(log)"
        case let .notReproducible(first, second, manifests):
            "two builds of the same recipe differ: sha256 \(first) then \(second); if the Debian archive"
                + " changed in between, the package manifests differ: diff \(manifests.joined(separator: " "))"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason)"
        case let .pairFailed(status, logs):
            "building the pair inside the lab failed: ftlab lab pythons exited \(status) (its output is above;"
                + " build logs in \(logs))"
        case let .source(error):
            error.description
        case let .binaryDoesNotRun(binary, output):
            "\(binary) does not run inside the lab rootfs (\(output)); install a release build with the Swift"
                + " runtime linked in: swift build -c release --static-swift-stdlib, then"
                + " ftlab lab rootfs --ftlab .build/release/ftlab"
        case let .labNotAssembled(tree):
            "the lab at \(tree) is missing, was unpacked from another rootfs or was not fully assembled;"
                + " run: ftlab lab rootfs"
        case let .resultsNotWritable(path, reason):
            "results directory \(path) is not usable: \(reason); pass a writable --results DIR"
        case .missingCommand:
            "nothing to run; usage: ftlab lab run [--results DIR] -- COMMAND [ARGS...]"
        }
    }
}
