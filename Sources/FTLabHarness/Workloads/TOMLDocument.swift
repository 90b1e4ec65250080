import Foundation
internal import TOMLKit

/// Decoding TOML the safe way, for every TOML file ftlab reads (workload manifests, the
/// interpreter lock, a project's pyproject.toml): ``TOMLPrecheck`` first (malformed text the
/// parser would trap on), then TOMLKit; a problem carries the 1-based line where one is known.
package enum TOMLDocument {
    /// Why text is not the TOML document asked for.
    package struct Problem: Error {
        /// The 1-based line, when the precheck or the parser knows it.
        package var line: Int?
        package var reason: String
        /// The decoder's own error (a missing key, a wrong type), for callers that say more.
        package var decoding: DecodingError?

        /// `path:line`, or `path` when the line is not known.
        package func location(_ path: String) -> String { line.map { "\(path):\($0)" } ?? path }
    }

    /// `text` decoded as `T`.
    package static func decode<T: Decodable>(_ type: T.Type, from text: String) throws(Problem) -> T {
        if let finding = TOMLPrecheck.check(text) { throw Problem(line: finding.line, reason: finding.reason) }
        do {
            return try TOMLDecoder().decode(T.self, from: text)
        } catch let error as TOMLParseError {
            throw Problem(line: error.source.begin.line, reason: error.description)
        } catch let error as DecodingError {
            throw Problem(line: nil, reason: "\(error)", decoding: error)
        } catch {
            throw Problem(line: nil, reason: "\(error)")
        }
    }
}
