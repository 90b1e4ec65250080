import FTLabCore
/// A free-threaded configuration and the GIL configuration it is measured against: equal
/// in every configuration column except `interpreter`, `python_version` and `build`.
public struct BuildPair: Sendable {
    public let freeThreaded: ConfigurationSamples
    public let gil: ConfigurationSamples

    /// The columns in which the two builds of a pair may differ.
    package static let buildColumns: Set<String> = ["interpreter", "python_version", "build"]

    /// Median throughput of the free-threaded build over that of the GIL build.
    public var throughputRatio: Double {
        Descriptive.median(freeThreaded.values { $0.throughput }) / Descriptive.median(gil.values { $0.throughput })
    }

    /// Median peak RSS of the free-threaded build over that of the GIL build; NaN when
    /// either side has no RSS figure.
    public var peakRSSRatio: Double {
        Descriptive.median(freeThreaded.values { $0.peakRSSKiB }) / Descriptive.median(gil.values { $0.peakRSSKiB })
    }

    /// What a lab label says beyond its release and build: `-pgo` for `cpython-3.13.5t-pgo` and
    /// `cpython-3.13.5-pgo`, empty for `cpython-3.13.5t` and for a label that is not a lab one.
    package static func flavor(of label: String) -> String {
        guard label.hasPrefix("cpython-") else { return "" }
        let rest = label.dropFirst("cpython-".count)
        let version = rest.prefix { $0.isNumber || $0 == "." }
        var tail = rest.dropFirst(version.count)
        if tail.first == "t" { tail = tail.dropFirst() }
        return String(tail)
    }

    /// `cpython-3.13.5-pgo` for `cpython-3.13.5t-pgo`, `cpython-3.13.5` for `cpython-3.13.5t`;
    /// nil for a label not of that form.
    package static func gilLabel(of freeThreaded: String) -> String? {
        let version = freeThreaded.dropFirst("cpython-".count).prefix { $0.isNumber || $0 == "." }
        let flavor = flavor(of: freeThreaded)
        guard !version.isEmpty, freeThreaded == "cpython-\(version)t\(flavor)" else { return nil }
        return "cpython-\(version)\(flavor)"
    }

    /// Pairs each free-threaded configuration with its GIL twin. When several GIL
    /// configurations match, the one with the same `python_version` is taken, then the one whose
    /// lab label is the free-threaded one's without its `t` (`cpython-3.13.5-pgo` for
    /// `cpython-3.13.5t-pgo`); a configuration with no unambiguous twin is left unpaired.
    public static func pairs(_ configurations: [ConfigurationSamples]) -> [BuildPair] {
        let gilByKey = Dictionary(grouping: configurations.filter { $0.first.build == "gil" }) {
            $0.first.configurationKey(ignoring: buildColumns)
        }
        return configurations.filter { $0.first.build == "freethreaded" }.compactMap { ft in
            var twins = gilByKey[ft.first.configurationKey(ignoring: buildColumns)] ?? []
            if twins.count > 1 { twins = twins.filter { $0.first.pythonVersion == ft.first.pythonVersion } }
            if twins.count > 1 { twins = twins.filter { $0.first.interpreter == gilLabel(of: ft.first.interpreter) } }
            guard twins.count == 1, !ft.ok.isEmpty, !twins[0].ok.isEmpty else { return nil }
            return BuildPair(freeThreaded: ft, gil: twins[0])
        }
    }
}
