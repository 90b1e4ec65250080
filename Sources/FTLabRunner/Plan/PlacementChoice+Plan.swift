import FTLabCore
extension PlacementChoice {
    /// The runner's view of a placement plan: unpinned plans start the interpreter directly,
    /// pinned ones go through `ftlab _launch` so CPU set and memory policy hold before exec.
    public init(plan: PlacementPlan) {
        self.init(
            policy: plan.policy, threadCPUs: plan.threadCPUs, processCPUs: plan.processCPUs,
            memoryPolicy: plan.memoryPolicy.rawValue, memNodes: plan.memNodes,
            launcherArguments: plan.threadCPUs.isEmpty ? [] : ProcessPlacement.launcherArguments(for: plan),
            warnings: plan.warnings)
    }
}

extension RunIdentity {
    /// Identity for a run starting now on the machine `topology` describes.
    public static func current(suiteRev: String, topology: Topology) -> RunIdentity {
        let (id, started) = newRunID()
        return RunIdentity(
            runID: id, startedUTC: started, host: hostName(), cpuModel: topology.model ?? "", kernel: kernelRelease(),
            numaNodes: max(1, topology.nodes.count), cpusOnline: topology.onlineCPUs.count,
            smt: topology.smt, suiteRev: suiteRev, lab: labID(), machine: MachineState.read())
    }
}
