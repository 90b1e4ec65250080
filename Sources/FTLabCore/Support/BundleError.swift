import Foundation

/// What is wrong with a bundle: an unpacked one ftlab runs from (read and verified against
/// its manifest), or one `ftlab bundle` could not pack.
public enum BundleError: FTLabError, Equatable {
    // Reading and verifying an unpacked bundle.
    case unreadableManifest(path: String, reason: String)
    case mismatch(path: String, reason: String)
    case notABundle(path: String)
    // Packing one.
    case badPython(String)
    case notBuilt(label: String, built: [String], cache: String)
    case missingFile(String, searched: [String])
    case libnumaMissing
    case cannotWrite(path: String, reason: String)
    case tarFailed(archive: String, detail: String)
    case badOutput(String)

    public var description: String {
        switch self {
        case let .unreadableManifest(path, reason):
            "bundle manifest \(path) \(reason); unpack the bundle again from its .tar.xz"
        case let .mismatch(path, reason):
            "bundle file \(path) does not match MANIFEST.json: it \(reason); the bundle was changed after packing, "
                + "unpack it again from its .tar.xz (or make a new one with ftlab bundle)"
        case let .notABundle(path):
            "\(path) is not an unpacked ftlab bundle: it needs \(BundleHome.manifestFile), \(BundleHome.descriptionFile) and bin/ftlab"
        case let .badPython(value):
            "--python \(value) is not a lab pair or label; use lab (the default pair), a release X.Y.Z or a label such as cpython-3.13.5t (comma-separated)"
        case let .notBuilt(label, built, cache):
            "lab python \(label) is not built in \(cache) (built: \(built.isEmpty ? "none" : built.joined(separator: ", "))); "
                + "build it with ftlab lab pythons first"
        case let .missingFile(file, searched):
            "\(file) was not found above \(searched.joined(separator: " or ")); run ftlab bundle from the checkout"
        case .libnumaMissing:
            "libnuma.so.1 is not installed here, so it cannot be shipped; apt-get install libnuma1"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason)"
        case let .tarFailed(archive, detail):
            "tar could not write \(archive): \(detail.split(separator: "\n").prefix(3).joined(separator: "; "))"
        case let .badOutput(path):
            "-o \(path) must end in .tar.xz"
        }
    }
}
