// Thin C helpers around libnuma and the affinity syscalls.
//
// No _GNU_SOURCE here: defining it changes glibc's fd_set, and Swift then refuses to merge
// this module with Foundation's Dispatch ("__fds_bits ... not present in definition of
// fd_set"). So the affinity helpers call the raw syscalls with a plain bit mask instead of
// glibc's cpu_set_t wrappers (which need _GNU_SOURCE, and CPU_SET is a macro anyway).
#ifndef FTLAB_CNUMA_SHIM_H
#define FTLAB_CNUMA_SHIM_H

#include <numa.h>
#include <numaif.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/types.h>

/// The largest CPU count the helpers handle: the kernel's maximum NR_CPUS.
#define FTLAB_MAX_CPUS 8192
#define FTLAB_MASK_WORDS (FTLAB_MAX_CPUS / (8 * sizeof(unsigned long)))
#define FTLAB_WORD_BITS (8 * sizeof(unsigned long))

/// Pins the calling thread (pid 0) or thread `pid` to `count` CPUs. Returns 0 or errno.
static inline int ftlab_set_affinity(pid_t pid, const int *cpus, int count) {
    unsigned long mask[FTLAB_MASK_WORDS] = {0};
    for (int i = 0; i < count; i++) {
        if (cpus[i] < 0 || cpus[i] >= FTLAB_MAX_CPUS) return EINVAL;
        mask[cpus[i] / FTLAB_WORD_BITS] |= 1UL << (cpus[i] % FTLAB_WORD_BITS);
    }
    return syscall(SYS_sched_setaffinity, pid, sizeof(mask), mask) == 0 ? 0 : errno;
}

/// Sets the disposition of signal `signo` back to the default with the raw system call, which,
/// unlike glibc's sigaction(), also reaches the signals glibc keeps for itself (32 and 33): an
/// ignored one survives execve. Returns 0 or errno.
static inline int ftlab_default_signal(int signo) {
    struct { unsigned long handler, flags, restorer, mask; } action = {0, 0, 0, 0};
    return syscall(SYS_rt_sigaction, signo, &action, NULL, sizeof(action.mask)) == 0 ? 0 : errno;
}

/// Writes the CPUs `pid` (0: the calling thread) may run on into `out`, up to `capacity`;
/// returns the count or -errno.
static inline int ftlab_get_affinity(pid_t pid, int *out, int capacity) {
    unsigned long mask[FTLAB_MASK_WORDS] = {0};
    long bytes = syscall(SYS_sched_getaffinity, pid, sizeof(mask), mask);
    if (bytes < 0) return -errno;
    int n = 0;
    for (int cpu = 0; cpu < bytes * 8 && n < capacity; cpu++) {
        if (mask[cpu / FTLAB_WORD_BITS] & (1UL << (cpu % FTLAB_WORD_BITS))) out[n++] = cpu;
    }
    return n;
}

/// Memory policy for the calling thread, inherited across execve: 0 local (the default
/// policy), 1 bind, 2 interleave. `nodes` lists NUMA node ids. Calls set_mempolicy directly
/// (libnuma's numa_set_membind only prints its errors). Returns 0 or an errno value:
/// ENOSYS when the kernel or libnuma has no NUMA support, EINVAL for a node that cannot be used.
static inline int ftlab_set_mempolicy(int policy, const int *nodes, int count) {
    if (numa_available() < 0) return policy == 0 ? 0 : ENOSYS;
    if (policy == 0) return set_mempolicy(MPOL_DEFAULT, NULL, 0) == 0 ? 0 : errno;
    struct bitmask *mask = numa_allocate_nodemask();
    if (!mask) return ENOMEM;
    for (int i = 0; i < count; i++) {
        if (nodes[i] < 0 || (unsigned long)nodes[i] >= mask->size) { numa_free_nodemask(mask); return EINVAL; }
        numa_bitmask_setbit(mask, (unsigned)nodes[i]);
    }
    int mode = policy == 1 ? MPOL_BIND : MPOL_INTERLEAVE;
    int rc = set_mempolicy(mode, mask->maskp, mask->size + 1) == 0 ? 0 : errno;
    numa_free_nodemask(mask);
    return rc;
}

#endif
