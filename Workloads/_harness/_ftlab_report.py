"""What the harness reports: the `hello` and `bye` messages, the verdict drawn from a workload's
`verify()`, and where in the workload an error happened."""

import os
import platform
import sys
import sysconfig
import traceback

from _ftlab_proc import allocator_stats, mapped_libraries, peak_rss_kib
from _ftlab_protocol import VERSION, clip, message


def hello(manifest, params, variant, threads, gil_enabled_by):
    """The `hello` of a process running `variant`, sent once the workload is prepared (an
    extension it imported may have re-enabled the GIL)."""
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    libraries = mapped_libraries()
    return message(
        "hello", protocol=VERSION, pid=os.getpid(),
        implementation=sys.implementation.name,
        python_version=platform.python_version(),
        build="freethreaded" if sysconfig.get_config_var("Py_GIL_DISABLED") else "gil",
        gil_enabled=bool(is_gil_enabled()) if is_gil_enabled else True,
        executable=sys.executable, workload=manifest.name, variant=variant,
        threads=threads, unit=manifest.unit, params=params,
        mapped_libraries=libraries,
        pythonmalloc=os.environ.get("PYTHONMALLOC", ""),
        ld_preload=os.environ.get("LD_PRELOAD", ""),
        gil_enabled_by=gil_enabled_by,
    )


def bye(verified, checksum, expected, text, thread_cpus, thread_allowed, other_rss_kib=0):
    """The `bye`: the verdict, each worker's CPUs, the peak RSS (plus `other_rss_kib`, a server's
    own processes) and the allocator's figures."""
    return message(
        "bye", verified=verified, checksum=checksum, expected=expected, message=text,
        max_rss_kib=peak_rss_kib() + other_rss_kib,
        thread_cpus=thread_cpus, thread_allowed=thread_allowed,
        allocator_stats=allocator_stats(mapped_libraries()),
    )


def verdict(result, verify, directory):
    """(ok, checksum, expected, message) from what `verify()` returned.

    A mismatch names verify()'s `file:LINE` and adds the workload's own detail, if any."""
    if not isinstance(result, tuple) or len(result) not in (3, 4):
        raise TypeError(f"verify() returned {clip(repr(result), 200)}; expected (ok, checksum, expected"
                        f"[, detail])")
    if not isinstance(result[1], str) or not isinstance(result[2], str):
        raise TypeError(f"verify() returned checksum {clip(repr(result[1]), 200)} and expected "
                        f"{clip(repr(result[2]), 200)}; both must be str (e.g. str(total))")
    ok, checksum, expected = bool(result[0]), clip(result[1]), clip(result[2])
    if ok:
        return ok, checksum, expected, ""
    detail = clip(str(result[3])) if len(result) == 4 and result[3] else \
        "the workload's output does not match the expected result"
    code = getattr(verify, "__code__", None)
    where = code_location(code.co_filename, code.co_firstlineno, directory) if code else ""
    return ok, checksum, expected, f"verify() at {where}: {detail}" if where else detail


def code_location(filename, line, directory):
    """`FILE:LINE`, FILE relative to the workload folder when inside it, else its base name."""
    path = os.path.realpath(filename)
    root = os.path.realpath(directory) + os.sep if directory else None
    if root and path.startswith(root):
        return f"{os.path.relpath(path, root)}:{line}"
    return f"{os.path.basename(filename)}:{line}"


def error_location(exc, directory):
    """`file:LINE` of the innermost frame inside the workload folder (else the innermost)."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{os.path.basename(exc.filename)}:{exc.lineno}"
    frames = traceback.extract_tb(exc.__traceback__)
    if directory:
        root = os.path.realpath(directory) + os.sep
        inside = [f for f in frames if os.path.realpath(f.filename).startswith(root)]
        if inside:
            return code_location(inside[-1].filename, inside[-1].lineno, directory)
    return code_location(frames[-1].filename, frames[-1].lineno, None) if frames else ""
