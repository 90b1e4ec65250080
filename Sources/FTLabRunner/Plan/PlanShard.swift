import FTLabCore

extension RunPlan {
    /// The plan's identity (`plan_id`): the first 12 hex digits of the SHA-256 of every
    /// configuration, in plan order, and the repetition. Placements count as the policy the
    /// user wrote and interpreters as their labels, so identical nodes with the pair in
    /// different places agree; a different default thread list (more CPUs) is another plan.
    public func identity(repetition: Repetition) -> String {
        var text = "processes=\(repetition.processes) samples=\(repetition.samples) warmups=\(repetition.warmups) "
            + "target=\(repetition.targetSeconds) batch=\(repetition.batch.map(String.init) ?? "calibrated")\n"
        for c in configurations {
            text += [c.workload.name, c.variant, c.paramsText, c.interpreter.label, String(c.threads), c.placement.policy,
                     c.allocator.name, c.envText, String(c.seed)].joined(separator: "|") + "\n"
        }
        var hash = SHA256()
        hash.update(Array(text.utf8))
        return String(hash.hexDigest().prefix(12))
    }

    /// The configurations of `shard`: round robin over the plan's order (configuration k,
    /// from 0, goes to shard k mod N + 1), so every process of a configuration stays in one
    /// shard. Calibrated samples make configurations cost about the same, so round robin
    /// balances them; the same plan always splits the same way. A shard that would get no
    /// configuration is refused.
    public func configurations(in shard: Shard) throws(ShardError) -> [RunConfiguration] {
        guard shard.count <= configurations.count else {
            throw .emptyShard(shard: shard.description, configurations: configurations.count)
        }
        return configurations.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }
}
