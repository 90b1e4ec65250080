/// How an interpreter was built: with the GIL, or free-threaded (`--disable-gil`, PEP 703).
/// It decides what swapping the allocator can mean (see `AllocatorScope`).
public enum InterpreterBuild: String, Sendable, Hashable, Codable {
    case gil
    case freethreaded
}
