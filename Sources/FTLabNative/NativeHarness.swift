import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore
import FTLabHarness

/// `ftlab _native`: runs one process's worth of a native implementation under the harness
/// protocol v1, exactly as run.py runs a `workload.py`: hello, warmups (calibrating the batch
/// by the same rules), measured samples, verification, bye.
public enum NativeHarness {
    package static let firstCalibrationBatch = 1
    package static let maxCalibrationBatch = 1 << 48

    /// Runs the process; returns its exit status (0 verified, 3 not verified, 2 bad
    /// arguments, 1 any other failure). Ends the process at once when a worker fails.
    public static func run(_ arguments: NativeArguments) async -> Int32 {
        let channel = ProtocolChannel()
        var workload: (any NativeWorkload)?
        do throws(NativeError) {
            let (cpus, definition, params) = try arguments.resolve()
            let manifest = definition.manifest
            let settings = NativeSettings(threads: arguments.threads, params: params, seed: arguments.seed,
                                          directory: definition.directory, inputPython: arguments.inputPython)
            let instance = try NativeImplementations.make(workload: manifest.name, variant: arguments.variant, settings: settings)
            workload = instance
            try await instance.prepare()
            channel.send(hello(arguments, manifest: manifest, params: params), type: "hello")

            let pool = WorkerPool(count: arguments.threads, cpus: cpus, work: { thread, batch throws(NativeError) in
                try instance.run(thread: thread, batch: batch)
            }, onFailure: { error in
                channel.fail(error, status: 1, beforeExit: instance.cleanup)
            })
            var sampler = Sampler(pool: pool, channel: channel)
            let batch: Int
            if let fixed = arguments.batch {
                batch = fixed
                for _ in 0..<arguments.warmups { sampler.run(batch: batch, warmup: true) }
            } else {
                batch = try sampler.calibrate(targetSeconds: arguments.targetSeconds, warmups: arguments.warmups)
            }
            for _ in 0..<arguments.samples { sampler.run(batch: batch, warmup: false) }
            pool.stop()

            let verdict = try instance.verify()
            instance.cleanup()
            channel.send(HarnessBye(
                verified: verdict.ok, checksum: verdict.checksum, expected: verdict.expected,
                message: verdict.ok ? "" : "\(NativeImplementations.label) \(manifest.name)/\(arguments.variant) verify(): \(verdict.detail)",
                maxRSSKiB: ProcessStats.peakRSSKiB(),
                threadCPUs: pool.slots.map { $0.seenCPUs.sorted() }, threadAllowed: pool.slots.map(\.allowedCPUs),
                allocatorStats: [:]), type: "bye")
            return verdict.ok ? 0 : 3
        } catch {
            channel.fail(error, status: error.exitCode, beforeExit: { workload?.cleanup() })
        }
    }

    package static func hello(_ arguments: NativeArguments, manifest: WorkloadManifest, params: [String: String]) -> HarnessHello {
        HarnessHello(
            protocolVersion: 1, pid: Int(getpid()), implementation: NativeImplementations.label, pythonVersion: "",
            build: InterpreterBuild.native.rawValue, gilEnabled: false, executable: executablePath(),
            workload: manifest.name, variant: arguments.variant, threads: arguments.threads, unit: manifest.unit,
            params: params, mappedLibraries: ProcessStats.mappedLibraries(), pythonMalloc: "",
            ldPreload: ProcessInfo.processInfo.environment["LD_PRELOAD"] ?? "")
    }

    /// Warms up while growing the batch until one sample lasts `targetSeconds`; returns that
    /// batch. `run(batch)` runs one warmup sample and returns its wall time in ns. Runs at least
    /// one warmup and at least `warmups` in total.
    ///
    /// the harness's `calibrate` (_ftlab_calibrate.py), rule for rule
    /// (Workloads/_harness/calibration-vectors.json drives both): a sample that reaches the target over 4x slower than the previous one predicts,
    /// or the very first one, is repeated at the same batch, and believed only when the repeat
    /// lasts at least half the target; otherwise the repeat sizes the next batch. A one-off
    /// stall must not freeze the batch at a size too small to time.
    package static func calibrate(targetSeconds: Double, warmups: Int, run: (Int) -> Int) throws(NativeError) -> Int {
        let target = targetSeconds * 1e9
        var batch = firstCalibrationBatch
        var done = 0
        var expected: Double?  // the wall time the last step predicts for `batch`
        while true {
            var wall = run(batch)
            done += 1
            if Double(wall) >= target {
                if let expected, Double(wall) <= 4 * expected { break }
                wall = run(batch)  // confirm it was no stall
                done += 1
                if Double(wall) >= target / 2 { break }
            }
            let next = nextBatch(batch, wallNanoseconds: wall, targetNanoseconds: target)
            expected = Double(wall) * Double(next) / Double(batch)
            batch = next
            if batch > maxCalibrationBatch {
                throw .calibration("calibration: a batch of \(maxCalibrationBatch) still takes "
                                   + String(format: "%.6f", Double(wall) / 1e9) + " s; does run() honour its batch argument?")
            }
        }
        for _ in done..<max(done, warmups) { _ = run(batch) }
        return batch
    }

    /// Double while samples are too short to extrapolate from; then scale up linearly
    /// (_ftlab_calibrate.py's `next_batch`).
    package static func nextBatch(_ batch: Int, wallNanoseconds: Int, targetNanoseconds: Double) -> Int {
        let wall = Double(wallNanoseconds)
        if wall < targetNanoseconds / 8 { return batch * 2 }
        return max(batch + 1, Int(Double(batch) * targetNanoseconds * 1.05 / wall) + 1)
    }
}

/// Runs warmups (calibrating the batch when asked) and measured samples, sending each.
package struct Sampler {
    package let pool: WorkerPool
    package let channel: ProtocolChannel
    package var index = 0

    @discardableResult
    package mutating func run(batch: Int, warmup: Bool) -> Int {
        let (wall, ops, before, after) = pool.sample(batch: batch)
        channel.send(HarnessSample(
            index: index, warmup: warmup, batch: batch, ops: ops.reduce(0, +), wallNanoseconds: wall, perThreadOps: ops,
            cpuUserSeconds: rounded(after.ru_utime.seconds - before.ru_utime.seconds),
            cpuSysSeconds: rounded(after.ru_stime.seconds - before.ru_stime.seconds),
            ctxVoluntary: after.ru_nvcsw - before.ru_nvcsw, ctxInvoluntary: after.ru_nivcsw - before.ru_nivcsw), type: "sample")
        index += 1
        return wall
    }

    /// Warms up while calibrating the batch (`NativeHarness.calibrate`) on this process's samples.
    package mutating func calibrate(targetSeconds: Double, warmups: Int) throws(NativeError) -> Int {
        try NativeHarness.calibrate(targetSeconds: targetSeconds, warmups: warmups) { run(batch: $0, warmup: true) }
    }

    private func rounded(_ seconds: Double) -> Double { (seconds * 1e6).rounded() / 1e6 }
}
