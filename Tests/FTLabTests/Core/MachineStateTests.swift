import Foundation
import Testing
import FTLabCore

/// The machine's state as `MachineState` reads it from a captured tree, and what it warns about.
@Suite struct MachineStateTests {
    /// A tree with cpufreq, boost, THP and isolated CPUs set the way a noisy machine has them.
    static func noisyTree() throws -> String {
        let root = TestPaths.scratch("machinestate")
        func put(_ path: String, _ text: String) throws {
            let file = root + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        try put("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n")
        try put("/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "performance\n")
        try put("/sys/devices/system/cpu/cpufreq/boost", "1\n")
        try put("/proc/sys/kernel/randomize_va_space", "2\n")
        try put("/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n")
        try put("/sys/devices/system/cpu/isolated", "2-3\n")
        try put("/sys/devices/system/cpu/nohz_full", "(null)\n")
        try put("/proc/sys/kernel/perf_event_paranoid", "4\n")
        try put("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme hypervisor sse\n")
        try put("/proc/loadavg", "3.50 2.00 1.00 2/300 999\n")
        try put("/run/.containerenv", "")
        return root
    }

    @Test func readsWhatTheKernelReports() throws {
        let root = try Self.noisyTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let state = MachineState.read(root: root, environment: [:])
        #expect(state.governor == "mixed: performance,powersave")
        #expect(state.boost == "on" && state.aslr == "2" && state.thp == "always")
        #expect(state.isolatedCPUs == "2-3" && state.nohzFullCPUs == "" && state.perfEventParanoid == "4")
        #expect(state.virtualization == "vm+container" && state.loadAverage == 3.5)
        let warnings = state.warnings(cpus: 4).joined(separator: "\n")
        for part in ["governor is mixed", "cpupower frequency-set -g performance", "turbo/boost is on", "busy (1-minute load 3.50 on 4 CPUs)",
                     "virtual machine", "transparent huge pages are `always`"] {
            #expect(warnings.contains(part), "missing \(part)")
        }
    }

    @Test func aQuietBareMachineWarnsOfNothingAndMissingFilesAreNotAvailable() throws {
        let root = TestPaths.scratch("quietmachine")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/proc", withIntermediateDirectories: true)
        try "0.10 0.10 0.10 1/100 1\n".write(toFile: root + "/proc/loadavg", atomically: true, encoding: .utf8)
        let state = MachineState.read(root: root, environment: [:])
        #expect(state.governor == MachineState.notAvailable && state.boost == MachineState.notAvailable)
        #expect(state.virtualization == "none")
        #expect(state.warnings(cpus: 2).isEmpty)
        #expect(MachineState.read(root: root, environment: ["container": "podman"]).virtualization == "container")
    }
}
