import Foundation
import FTLabCore

/// A `KEY=VALUE` environment setting for the interpreter.
public struct EnvSetting: Sendable, Equatable {
    public var key: String
    public var value: String

    /// Parses `KEY=VALUE`.
    public static func parse(_ text: String) throws(RunInputError) -> EnvSetting {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw .badEnv(text) }
        let key = String(text[..<eq])
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw .badEnv(text) }
        return EnvSetting(key: key, value: String(text[text.index(after: eq)...]))
    }
}

/// Bad values given to `ftlab run`.
public enum RunInputError: FTLabError, Equatable {
    case badEnv(String)
    case badThreads(String)
    case badRepetition(option: String, value: Int)
    case badMemoryLimit(String)
    case badPrecision(option: String, value: String)

    public var description: String {
        switch self {
        case .badEnv(let text): "bad --env or --ab-env \"\(text)\"; expected KEY=VALUE, e.g. PYTHON_GIL=1"
        case .badThreads(let text):
            "bad --threads \"\(text)\"; expected a comma-separated list of positive integers, e.g. 1,2,4"
        case let .badRepetition(option, value): "bad \(option) \(value); expected a positive integer"
        case let .badPrecision(option, value):
            option == "--budget"
                ? "bad --budget \"\(value)\"; expected a duration such as 90s, 30m or 2h"
                : "bad --ci-target \"\(value)\"; expected a CI half-width such as 2% or 0.02 (above 0, below 100%)"
        case .badMemoryLimit(let text):
            "bad --memory-limit \"\(text)\"; expected a size of at least 16M with an optional K, M, G or T suffix, e.g. 2G"
        }
    }
}

/// Parses `1,2,4` into thread counts.
public func parseThreadList(_ text: String) throws(RunInputError) -> [Int] {
    var counts: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n > 0, n <= 4096 else {
            throw .badThreads(text)
        }
        if !counts.contains(n) { counts.append(n) }
    }
    if counts.isEmpty { throw .badThreads(text) }
    return counts
}

/// The default thread counts: 1, 2, 4, ... up to `cpus`, `cpus` itself, and one
/// oversubscribed point (`cpus + 1`), where scaling must stop and contention shows.
public func defaultThreadCounts(cpus: Int) -> [Int] {
    var counts: [Int] = []
    var n = 1
    while n < cpus { counts.append(n); n *= 2 }
    counts.append(max(1, cpus))
    counts.append(max(1, cpus) + 1)
    return counts
}
