import Foundation

/// Repetition: processes per configuration, warmup and measured samples per process.
public struct Repetition: Sendable, Equatable {
    public var processes: Int
    public var samples: Int
    public var warmups: Int
    /// Seconds one calibrated sample should last.
    public var targetSeconds: Double
    /// A fixed batch (work units per thread per sample) instead of calibration.
    public var batch: Int?

    public init(processes: Int, samples: Int, warmups: Int, targetSeconds: Double, batch: Int? = nil) {
        self.processes = processes
        self.samples = samples
        self.warmups = warmups
        self.targetSeconds = targetSeconds
        self.batch = batch
    }

    /// The defaults for a full run, sized so the full suite fits 20 minutes on a 2-CPU machine
    /// (the arithmetic is in Sources/README.md, *Defaults*): 3 processes x 6 samples of 0.2 s, one
    /// warmup on top of calibration. Every process still verifies its output.
    public static let standard = Repetition(processes: 3, samples: 6, warmups: 1, targetSeconds: 0.2)
    /// The smallest run that still gives a usable confidence interval.
    public static let quick = Repetition(processes: 3, samples: 5, warmups: 1, targetSeconds: 0.1)
}
