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
    /// shard; the two sides of an `--ab-env` pair count as one, since they must run side by
    /// side on one machine. Calibrated samples make configurations cost about the same, so
    /// round robin balances them; the same plan always splits the same way. A shard that would
    /// get no configuration is refused.
    public func configurations(in shard: Shard) throws(ShardError) -> [RunConfiguration] {
        // Env sides are the plan's innermost loop: an A/B pair is a run of neighbours equal but for env.
        var groups: [[RunConfiguration]] = []
        for c in configurations {
            if let last = groups.last?.last, Self.sameButEnv(last, c) { groups[groups.count - 1].append(c) } else { groups.append([c]) }
        }
        guard shard.count <= groups.count else {
            throw .emptyShard(shard: shard.description, configurations: groups.count)
        }
        return groups.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.flatMap(\.element)
    }

    private static func sameButEnv(_ a: RunConfiguration, _ b: RunConfiguration) -> Bool {
        a.workload.name == b.workload.name && a.variant == b.variant && a.paramsText == b.paramsText
            && a.interpreter == b.interpreter && a.threads == b.threads && a.placement.policy == b.placement.policy
            && a.allocator.name == b.allocator.name
    }
}
