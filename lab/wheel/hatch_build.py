"""Build hook of the ftlab wheel (hatchling): stages what the wheel carries and tags it.

- the ftlab binary named by FTLAB_WHEEL_BINARY (`make wheel` passes the stripped static release
  build) becomes the wheel's script: pip, pipx and uv put it in <prefix>/bin;
- Workloads/ (without __pycache__, with the .suite-rev its rows record) and the lab/ files ftlab
  reads at run time become shared data in <prefix>/share/ftlab, where the binary looks first;
- the tag is py3-none-manylinux_2_N_ARCH, read off the binary itself: ARCH from its ELF header,
  N from the newest GLIBC_2.N symbol version it needs, so pip refuses the wheel on any other
  OS or machine, or on an older glibc, by its tag. A binary that needs a shared library a
  manylinux wheel cannot assume (libnuma, say) is refused here, before anything is built.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

REPOSITORY = Path(__file__).resolve().parents[2]
# The lab/ files a running ftlab reads (the lock, the package list, the apt sources).
LAB_FILES = ["lab/pythons.toml", "lab/packages.txt", "lab/apt"]
MACHINES = {62: "x86_64", 183: "aarch64"}
# The libraries every manylinux platform provides (PEP 600's policies, auditwheel's whitelist).
SYSTEM_LIBRARIES = {
    "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
    "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libgcc_s.so.1", "libstdc++.so.6",
}
# The newest libstdc++ symbol versions each manylinux glibc floor ships (auditwheel's policies).
GLIBCXX_FLOORS = [((3, 4, 19), 17), ((3, 4, 22), 24), ((3, 4, 24), 27), ((3, 4, 25), 28),
                  ((3, 4, 28), 31), ((3, 4, 29), 34), ((3, 4, 30), 35)]
SHT_DYNAMIC, SHT_GNU_VERNEED, DT_NEEDED = 6, 0x6FFFFFFE, 1


class WheelError(Exception):
    """Why the wheel cannot be built, and what to do about it."""


class ElfFacts:
    """What the tag needs from an ELF executable: its machine, the shared libraries it needs
    (DT_NEEDED) and the symbol versions it needs from each (.gnu.version_r)."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise WheelError(f"{path} is not a 64-bit little-endian ELF executable; build ftlab on Linux")
        self.machine = MACHINES.get(struct.unpack_from("<H", data, 0x12)[0])
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]

        def string(section: int, offset: int) -> str:
            start = sections[section][4] + offset
            return data[start:data.index(b"\0", start)].decode()

        self.needed: list[str] = []
        self.versions: dict[str, set[str]] = {}
        for _, kind, _, _, offset, size, link, info, _, _ in sections:
            if kind == SHT_DYNAMIC:
                for at in range(offset, offset + size, 16):
                    tag, value = struct.unpack_from("<qQ", data, at)
                    if tag == DT_NEEDED:
                        self.needed.append(string(link, value))
            elif kind == SHT_GNU_VERNEED:
                at = offset
                for _ in range(info):
                    _, count, file, aux, following = struct.unpack_from("<HHIII", data, at)
                    names = self.versions.setdefault(string(link, file), set())
                    entry = at + aux
                    for _ in range(count):
                        _, _, _, name, next_aux = struct.unpack_from("<IHHII", data, entry)
                        names.add(string(link, name))
                        entry += next_aux
                    at += following

    def newest(self, prefix: str) -> tuple[int, ...] | None:
        """The newest `PREFIX_x.y.z` version needed from any library, as numbers."""
        found = [tuple(int(part) for part in name[len(prefix):].split("."))
                 for names in self.versions.values() for name in names
                 if re.fullmatch(re.escape(prefix) + r"[0-9]+(\.[0-9]+)*", name)]
        return max(found) if found else None


def platform_tag(facts: ElfFacts, binary: Path) -> str:
    """manylinux_2_N_ARCH for the binary; refuses what no manylinux platform promises."""
    if facts.machine is None:
        raise WheelError(f"{binary} is built for a machine this wheel cannot tag (only x86_64 and aarch64)")
    foreign = [name for name in facts.needed if name not in SYSTEM_LIBRARIES]
    if foreign:
        raise WheelError(f"{binary} loads {', '.join(foreign)} at run time, which a machine with only "
                         "glibc cannot be assumed to have; link it statically (make wheel links libnuma.a)")
    glibc = facts.newest("GLIBC_")
    floor = max(17, glibc[1] if glibc and len(glibc) > 1 else 17)
    cxx = facts.newest("GLIBCXX_")
    if cxx is not None:
        fitting = [minor for newest, minor in GLIBCXX_FLOORS if cxx <= newest]
        if not fitting:
            raise WheelError(f"{binary} needs libstdc++ GLIBCXX_{'.'.join(map(str, cxx))}, newer than any "
                             "manylinux policy this hook knows; build on an older distribution")
        floor = max(floor, fitting[0])
    return f"manylinux_2_{floor}_{facts.machine}"


def suite_revision() -> str:
    """The corpus's git revision as ftlab records it (`rev`, `rev-dirty`), else `unknown`."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(REPOSITORY / "Workloads"), *args],
                                  capture_output=True, text=True, check=False)
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    revision = git("rev-parse", "--short=12", "HEAD")
    if not revision:
        return "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".")
    return revision + "-dirty" if dirty else revision


class FTLabWheelHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        binary = Path(os.environ.get("FTLAB_WHEEL_BINARY", "")).resolve()
        if not os.environ.get("FTLAB_WHEEL_BINARY") or not binary.is_file():
            raise WheelError(f"FTLAB_WHEEL_BINARY names no file ({binary}); build the wheel with make wheel, "
                             "which builds the static release ftlab and passes it")
        facts = ElfFacts(binary)
        tag = platform_tag(facts, binary)

        stage = Path(self.directory) / ".ftlab-wheel-stage"
        shutil.rmtree(stage, ignore_errors=True)
        data = stage / "share" / "ftlab"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(REPOSITORY / "Workloads", data / "Workloads", ignore=ignore)
        (data / "Workloads" / ".suite-rev").write_text(suite_revision() + "\n")
        for relative in LAB_FILES:
            source, target = REPOSITORY / relative, data / relative
            if source.is_dir():
                shutil.copytree(source, target, ignore=ignore)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        script = stage / "ftlab"
        shutil.copy2(binary, script)
        script.chmod(0o755)

        build_data["tag"] = f"py3-none-{tag}"
        build_data["pure_python"] = False
        build_data["shared_scripts"][str(script)] = "ftlab"
        # File by file: hatchling walks a mapped folder through its file selection, which
        # selects nothing in a wheel without a Python package.
        for path in sorted(data.rglob("*")):
            if path.is_file():
                build_data["shared_data"][str(path)] = f"share/ftlab/{path.relative_to(data).as_posix()}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        shutil.rmtree(Path(self.directory) / ".ftlab-wheel-stage", ignore_errors=True)
