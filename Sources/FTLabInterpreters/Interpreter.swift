import FTLabHarness
/// A Python interpreter ftlab can run workloads on, as it described itself when probed.
public struct Interpreter: Sendable, Hashable, Codable {
    /// How the interpreter was built: with the GIL, or free-threaded (`--disable-gil`, PEP 703);
    /// `native` is no interpreter but ftlab's own Swift implementation (`native-swift`).
    public typealias Build = InterpreterBuild

    /// Name for tables and CSV rows: a lab label (`cpython-3.13.5t`) or the spec it was resolved from.
    public var label: String
    /// Absolute path of the executable.
    public var path: String
    /// `major.minor.micro`, e.g. "3.13.5".
    public var version: String
    /// `sys.implementation.name`; "cpython" for every interpreter ftlab accepts.
    public var implementation: String
    /// GIL or free-threaded, from `sysconfig`'s `Py_GIL_DISABLED`.
    public var build: Build
    /// `sys._is_gil_enabled()` with no `PYTHON_GIL` override; always true on a GIL build.
    public var gilEnabledByDefault: Bool
    /// The full `sys.version` string.
    public var sysVersion: String
    /// `sysconfig`'s `CONFIG_ARGS`: the configure flags the interpreter was built with.
    public var configureArgs: String
    /// `platform.python_compiler()`, e.g. "GCC 12.2.0".
    public var compiler: String
    /// sha256 of the source tarball, known for lab builds (from their manifest).
    public var sourceSHA256: String?
}
