"""A PEP 517 build backend that refuses the free-threaded build (when pip asks what it needs
to build the wheel, as cffi's does on 3.13t) and otherwise builds a one-module wheel."""

import base64
import hashlib
import os
import sysconfig
import zipfile

NAME, VERSION = "ftlab_gil_only", "1.0"


def _refuse_free_threading():
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        raise RuntimeError("ftlab-gil-only does not support the free-threaded build of CPython (a test fixture)")


def get_requires_for_build_wheel(config_settings=None):
    _refuse_free_threading()
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _refuse_free_threading()
    info = f"{NAME}-{VERSION}.dist-info"
    files = {
        f"{NAME}.py": b"VALUE = 1\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: ftlab-gil-only\nVersion: {VERSION}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: ftlab-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        for path, data in files.items():
            wheel.writestr(path, data)
    return name
