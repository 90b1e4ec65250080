"""What the process can see about itself on Linux: mapped libraries, CPUs, jemalloc stats."""

import os
import re
import shutil
import tempfile

_SHARED_OBJECT = re.compile(r"\.so(\.|$)")


def mapped_libraries():
    """The distinct shared-object paths in /proc/self/maps, sorted."""
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split(None, 5)
            if len(fields) < 6:
                continue
            path = fields[5].strip()
            if path.endswith(" (deleted)"):
                path = path[: -len(" (deleted)")]
            if path.startswith("/") and _SHARED_OBJECT.search(os.path.basename(path)):
                paths.add(path)
    return sorted(paths)


def peak_rss_kib(pid="self"):
    """The process's peak resident set size (VmHWM of /proc/PID/status), in KiB.

    Not getrusage's ru_maxrss: that one survives execve, so a process started through
    `ftlab _launch` would report the launcher's peak when it is the larger."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def current_cpu(native_id, pid="self"):
    """The CPU thread `native_id` (of process `pid`) last ran on: field 39 of
    /proc/PID/task/TID/stat."""
    # Raw os calls: no buffered/text file object (and its per-object lock) on the hot path.
    fd = os.open(f"/proc/{pid}/task/{native_id}/stat", os.O_RDONLY)
    try:
        stat = os.read(fd, 4096).decode()
    finally:
        os.close(fd)
    # Field 2 (comm) is parenthesised and may hold spaces; fields after it start at 3.
    return int(stat[stat.rindex(")") + 2 :].split()[39 - 3])


def thread_times(native_id):
    """(on-CPU ns, runnable-waiting ns, voluntary, involuntary context switches) of thread
    `native_id` so far: /proc/self/task/TID/schedstat fields 1-2 and the two
    `*ctxt_switches` lines of .../status. Needs no privileges."""
    with open(f"/proc/self/task/{native_id}/schedstat") as f:
        on_cpu, runnable = (int(x) for x in f.read().split()[:2])
    switches = {}
    with open(f"/proc/self/task/{native_id}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"):
                switches[key] = int(value)
    return (on_cpu, runnable, switches["voluntary_ctxt_switches"],
            switches["nonvoluntary_ctxt_switches"])


def process_times(pid):
    """(user s, system s, voluntary, involuntary context switches) of process `pid` so far:
    utime/stime of /proc/PID/stat (every thread, ended ones too) and the switches of its live
    threads (/proc/PID/task/*/status). OSError once the process is gone."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()
    tick = os.sysconf("SC_CLK_TCK")
    user, system = int(fields[14 - 3]) / tick, int(fields[15 - 3]) / tick
    voluntary = involuntary = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key == "voluntary_ctxt_switches":
                        voluntary += int(value)
                    elif key == "nonvoluntary_ctxt_switches":
                        involuntary += int(value)
        except OSError:  # the thread has ended
            pass
    return user, system, voluntary, involuntary


def allocator_stats(libraries):
    """`{"jemalloc.stats.allocated": N}` when a libjemalloc is mapped and answers, else {}."""
    for path in libraries:
        if "libjemalloc" in os.path.basename(path):
            allocated = _jemalloc_allocated(path)
            return {} if allocated is None else {"jemalloc.stats.allocated": allocated}
    return {}


def _jemalloc_allocated(path):
    import ctypes  # only here, so that ctypes and libffi are not mapped in other processes

    lib = ctypes.CDLL(path)  # already mapped: this returns the loaded copy
    mallctl = getattr(lib, "mallctl", None) or getattr(lib, "je_mallctl", None)
    if mallctl is None:
        return None
    mallctl.restype = ctypes.c_int
    size_ptr = ctypes.POINTER(ctypes.c_size_t)
    mallctl.argtypes = [ctypes.c_char_p, ctypes.c_void_p, size_ptr, ctypes.c_void_p,
                        ctypes.c_size_t]
    epoch = ctypes.c_uint64(1)  # writing `epoch` refreshes the cached statistics
    if mallctl(b"epoch", None, None, ctypes.byref(epoch), ctypes.sizeof(epoch)) != 0:
        return None
    value = ctypes.c_size_t(0)
    length = ctypes.c_size_t(ctypes.sizeof(value))
    if mallctl(b"stats.allocated", ctypes.byref(value), ctypes.byref(length), None, 0) != 0:
        return None
    return value.value


def scratch_folder(base, prefix):
    """A fresh folder for this process's files under `base`, named `<prefix><pid>-...`.

    Folders of earlier processes that died before their cleanup (same prefix, a pid no longer
    alive) are removed first. mkdtemp: an unpredictable name, mode 0700, never someone else's."""
    for name in os.listdir(base):
        pid = name[len(prefix):].split("-")[0]
        if name.startswith(prefix) and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=base)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    return True
