import Foundation
import FTLabCore

/// `lab/packages.txt`: the Debian packages the lab needs, one per line, `#` starting a comment.
/// Every recipe (host setup, rootfs, Containerfile) reads this one file, so they cannot drift.
public struct PackageList: Sendable, Equatable {
    /// Package names in file order.
    public var packages: [String]

    /// Parses the list; `file` only names it in messages. Refuses a line that is not exactly
    /// one valid package name, and a package listed twice.
    public init(text: String, file: String = "packages.txt") throws(ContainerError) {
        var packages: [String] = []
        var firstLine: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let name = words.first else { continue }
            guard words.count == 1 else {
                throw .badPackageList(file: file, line: line, reason: "\(words.count) words")
            }
            guard Self.isPackageName(name) else {
                throw .badPackageList(file: file, line: line, reason: "'\(name)' is not a Debian package name")
            }
            if let earlier = firstLine[name] {
                throw .badPackageList(file: file, line: line, reason: "'\(name)' is already listed on line \(earlier)")
            }
            firstLine[name] = line
            packages.append(name)
        }
        self.packages = packages
    }

    /// The checkout's `lab/packages.txt`.
    public static func load() throws(ContainerError) -> (list: PackageList, path: String) {
        guard let path = CheckoutFile.locate("lab/packages.txt"),
            let data = FileManager.default.contents(atPath: path)
        else { throw .packageListNotFound(searched: CheckoutFile.searchStarts) }
        return (try PackageList(text: String(decoding: data, as: UTF8.self), file: path), path)
    }

    /// Debian policy 5.6.1: lowercase letters, digits, `+ - .`; at least two characters,
    /// starting with a letter or digit.
    package static func isPackageName(_ name: String) -> Bool {
        guard name.count >= 2, let first = name.first, first.isASCII, first.isLowercase || first.isNumber else {
            return false
        }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "+-.".contains($0)) }
    }
}
