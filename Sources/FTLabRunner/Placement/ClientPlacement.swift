extension Planner {
    /// Where a load generator runs beside a server planned as `plan`: the allowed CPUs the
    /// server's CPU set leaves free, or, when it leaves none, the last allowed CPU (shared with
    /// the server). An unpinned server (`none`) gets an unpinned client (empty).
    public static func clientCPUs(besides plan: PlacementPlan, allowed: [Int]) -> [Int] {
        guard !plan.threadCPUs.isEmpty else { return [] }
        let free = allowed.filter { !plan.processCPUs.contains($0) }
        return free.isEmpty ? Array(allowed.suffix(1)) : free
    }
}
