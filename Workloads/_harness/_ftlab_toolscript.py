"""CPython's own tool scripts (Tools/<tool>/<tool>.py) as workloads: finding the file ftlab
named, importing it the way `python <tool>.py` would see it, and pinning its digest.

Used by the ftscalingbench and lockbench workloads; the scripts are never copied into this
repository (`ftlab lab examples` fetches Debian's python3.X-examples package that carries them).
"""

import builtins
import hashlib
import importlib.util
import os
import sys

GET_COMMAND = "ftlab lab examples"


def environment_key(tool):
    """FTLAB_FTSCALINGBENCH for ftscalingbench: ftlab sets it to the file it found."""
    return "FTLAB_" + "".join(c if c.isalnum() else "_" for c in tool.upper())


def locate(tool, environ=os.environ):
    """The script's path from FTLAB_<TOOL>: the file itself, a folder holding it, a CPython
    source tree (Tools/<tool>/) or an unpacked python3.X-examples package."""
    key, script = environment_key(tool), f"{tool}.py"
    given = environ.get(key, "")
    if not given:
        raise RuntimeError(
            f"no {script}: {key} is not set (ftlab sets it to the file it found); "
            f"get the script with `{GET_COMMAND}` or set {key}=PATH")
    if os.path.isfile(given):
        return given
    candidates = [os.path.join(given, script), os.path.join(given, "Tools", tool, script)]
    docs = os.path.join(given, "usr", "share", "doc")
    if os.path.isdir(docs):
        candidates += [os.path.join(docs, d, "examples", tool, script)
                       for d in sorted(os.listdir(docs), reverse=True)]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    raise RuntimeError(f"{key}={given!r} holds no {script} (looked for "
                       f"{', '.join(candidates)}); get it with `{GET_COMMAND}`")


def load(path, module_name):
    """Imports the script as `python <tool>.py` would see it (its __builtins__ is the builtins
    module, as in __main__, so `hasattr(__builtins__, ...)` guards work)."""
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    module.__builtins__ = builtins
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_digest(path, params):
    """Refuses a script whose sha256 is not the `script_sha256` param (when one is set)."""
    expected = params.get("script_sha256", "")
    if expected and sha256(path) != expected:
        raise ValueError(f"param 'script_sha256': {path} has sha256 {sha256(path)}, not "
                         f"{expected} (the file changed since ftlab listed it; pass "
                         f"--param script_sha256= to accept any)")
