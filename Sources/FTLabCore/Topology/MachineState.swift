import Foundation

/// The state of the machine that makes figures stable or not, read at the start of a run (like
/// `pyperf system show`): frequency scaling, turbo, ASLR, transparent huge pages, CPUs set aside
/// from the scheduler, load, perf's access level, and whether this is a VM or a container.
/// Every value is what the kernel reported, or `n/a` where the machine does not expose it.
public struct MachineState: Sendable, Equatable {
    /// `scaling_governor` of the online CPUs ("performance", "powersave", "mixed: a,b"), or `n/a`
    /// (no cpufreq: typical of VMs, where the host decides).
    public var governor: String
    /// Turbo/boost: "on", "off", or `n/a`.
    public var boost: String
    /// `kernel.randomize_va_space`: 0 off, 1 partial, 2 full.
    public var aslr: String
    /// Transparent huge pages mode: "always", "madvise" or "never".
    public var thp: String
    /// CPUs isolated from the scheduler (`isolcpus`), as a CPU list; empty when none.
    public var isolatedCPUs: String
    /// CPUs without the scheduler tick (`nohz_full`); empty when none.
    public var nohzFullCPUs: String
    /// `kernel.perf_event_paranoid` (perf needs <= 2 for user profiling, as `ftlab explain` does).
    public var perfEventParanoid: String
    /// "vm", "container", "vm+container" or "none".
    public var virtualization: String
    /// The 1-minute load average when read.
    public var loadAverage: Double

    /// The value `n/a`: the machine does not expose the setting.
    public static let notAvailable = "n/a"

    public init(governor: String = notAvailable, boost: String = notAvailable, aslr: String = notAvailable,
                thp: String = notAvailable, isolatedCPUs: String = "", nohzFullCPUs: String = "",
                perfEventParanoid: String = notAvailable, virtualization: String = "none", loadAverage: Double = 0) {
        self.governor = governor
        self.boost = boost
        self.aslr = aslr
        self.thp = thp
        self.isolatedCPUs = isolatedCPUs
        self.nohzFullCPUs = nohzFullCPUs
        self.perfEventParanoid = perfEventParanoid
        self.virtualization = virtualization
        self.loadAverage = loadAverage
    }

    /// Reads the state under `root` (`/` for this machine; a captured tree in tests).
    public static func read(root: String = "/", environment: [String: String] = ProcessInfo.processInfo.environment) -> MachineState {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        func text(_ path: String) -> String? {
            guard let data = FileManager.default.contents(atPath: base + path) else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var state = MachineState()
        let cpus = (try? FileManager.default.contentsOfDirectory(atPath: base + "/sys/devices/system/cpu")) ?? []
        let governors = Set(cpus.filter { $0.hasPrefix("cpu") && $0.dropFirst(3).allSatisfy(\.isNumber) }
            .compactMap { text("/sys/devices/system/cpu/\($0)/cpufreq/scaling_governor") })
        if governors.count == 1 { state.governor = governors.first! }
        if governors.count > 1 { state.governor = "mixed: " + governors.sorted().joined(separator: ",") }
        if let boost = text("/sys/devices/system/cpu/cpufreq/boost") {
            state.boost = boost == "1" ? "on" : "off"
        } else if let noTurbo = text("/sys/devices/system/cpu/intel_pstate/no_turbo") {
            state.boost = noTurbo == "1" ? "off" : "on"
        }
        state.aslr = text("/proc/sys/kernel/randomize_va_space") ?? notAvailable
        if let thp = text("/sys/kernel/mm/transparent_hugepage/enabled") {
            state.thp = thp.split(separator: " ").first { $0.hasPrefix("[") }.map { String($0.dropFirst().dropLast()) } ?? thp
        }
        state.isolatedCPUs = text("/sys/devices/system/cpu/isolated") ?? ""
        state.nohzFullCPUs = text("/sys/devices/system/cpu/nohz_full").map { $0 == "(null)" ? "" : $0 } ?? ""
        state.perfEventParanoid = text("/proc/sys/kernel/perf_event_paranoid") ?? notAvailable
        let vm = (text("/proc/cpuinfo") ?? "").split(separator: "\n")
            .contains { $0.hasPrefix("flags") && $0.split(separator: " ").contains("hypervisor") }
        let cgroup = text("/proc/1/cgroup") ?? ""
        let container = FileManager.default.fileExists(atPath: base + "/.dockerenv")
            || FileManager.default.fileExists(atPath: base + "/run/.containerenv")
            || !(environment["container"] ?? "").isEmpty
            || ["docker", "kubepods", "lxc", "containerd"].contains { cgroup.contains($0) }
        state.virtualization = vm && container ? "vm+container" : vm ? "vm" : container ? "container" : "none"
        state.loadAverage = loadAverage(root: root)
        return state
    }

    /// The 1-minute load average under `root` (`/proc/loadavg`); 0 when unreadable.
    public static func loadAverage(root: String = "/") -> Double {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        guard let data = FileManager.default.contents(atPath: base + "/proc/loadavg") else { return 0 }
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.flatMap { Double($0) } ?? 0
    }

    /// What makes figures less stable on this machine, each with what to do; empty when nothing.
    /// `cpus` is the number of online CPUs (load is judged against it).
    public func warnings(cpus: Int) -> [String] {
        var out: [String] = []
        if governor != Self.notAvailable && governor != "performance" {
            out.append("the CPU frequency governor is \(governor): the clock follows the load and figures move with it;"
                + " for stable figures: cpupower frequency-set -g performance")
        }
        if boost == "on" {
            out.append("turbo/boost is on: the clock depends on temperature and on how many cores are busy, so"
                + " thread-count comparisons are skewed; for stable figures: echo 0 > /sys/devices/system/cpu/cpufreq/boost"
                + " (intel_pstate: echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo)")
        }
        if loadAverage > 0.5 * Double(max(1, cpus)) {
            out.append("the machine is busy (1-minute load \(String(format: "%.2f", loadAverage)) on \(cpus) CPUs):"
                + " other work competes for the CPUs; the CIs will be wide, rerun on an idle machine")
        }
        if virtualization.contains("vm") {
            out.append("this is a virtual machine: vCPUs may share physical cores with other guests (steal time),"
                + " so scaling past a few threads may show the host, not Python")
        }
        if thp == "always" {
            out.append("transparent huge pages are `always`: peak RSS and allocation costs vary from run to run;"
                + " `madvise` is steadier (echo madvise > /sys/kernel/mm/transparent_hugepage/enabled)")
        }
        return out
    }

    /// One line for the run header.
    public var summary: String {
        "governor \(governor), boost \(boost), ASLR \(aslr), THP \(thp), isolated CPUs \(isolatedCPUs.isEmpty ? "none" : isolatedCPUs), "
            + "nohz_full \(nohzFullCPUs.isEmpty ? "none" : nohzFullCPUs), perf_event_paranoid \(perfEventParanoid), "
            + "\(virtualization == "none" ? "bare metal" : virtualization), load \(String(format: "%.2f", loadAverage))"
    }
}
