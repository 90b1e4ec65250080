// Thin C helpers around libnuma and the affinity syscalls.
// CPU_SET/CPU_ZERO are macros Swift cannot import, so they are wrapped here.
#ifndef FTLAB_CNUMA_SHIM_H
#define FTLAB_CNUMA_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <numa.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>

/// Pins the calling thread (pid 0) or process `pid` to `count` CPUs. Returns 0 or errno.
static inline int ftlab_set_affinity(pid_t pid, const int *cpus, int count) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= CPU_SETSIZE) return EINVAL;
        CPU_SET(cpus[i], &set);
    }
    return sched_setaffinity(pid, sizeof(set), &set) == 0 ? 0 : errno;
}

/// Writes the CPUs `pid` may run on into `out` (up to `capacity`); returns the count or -errno.
static inline int ftlab_get_affinity(pid_t pid, int *out, int capacity) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(pid, sizeof(set), &set) != 0) return -errno;
    int n = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && n < capacity; cpu++) {
        if (CPU_ISSET(cpu, &set)) out[n++] = cpu;
    }
    return n;
}

/// Memory policy for the calling process: 0 local (default), 1 bind, 2 interleave.
/// `nodes` lists NUMA node ids. Returns 0, or -1 when libnuma is unavailable or a node is invalid.
static inline int ftlab_set_mempolicy(int policy, const int *nodes, int count) {
    if (numa_available() < 0) return -1;
    if (policy == 0) { numa_set_localalloc(); return 0; }
    struct bitmask *mask = numa_allocate_nodemask();
    if (!mask) return -1;
    for (int i = 0; i < count; i++) {
        if (nodes[i] < 0 || nodes[i] > numa_max_node()) { numa_free_nodemask(mask); return -1; }
        numa_bitmask_setbit(mask, (unsigned)nodes[i]);
    }
    if (policy == 1) numa_set_membind(mask); else numa_set_interleave_mask(mask);
    numa_free_nodemask(mask);
    return 0;
}

#endif
