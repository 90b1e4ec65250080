/// Which build a harness process runs on, as its `hello` message says (`build`): CPython with
/// the GIL, free-threaded CPython, or a native Swift implementation (`ftlab _native`).
public enum InterpreterBuild: String, Sendable, Hashable, Codable, CustomStringConvertible {
    case gil
    case freethreaded
    case native

    public var description: String { rawValue }
}
