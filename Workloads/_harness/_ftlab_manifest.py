"""A workload's manifest, as run.py needs it.

ftlab parses and validates `workload.toml` once and hands it to run.py as JSON in the
environment variable FTLAB_MANIFEST_JSON (PROTOCOL.md). Started by hand without it, run.py
reads `workload.toml` with `tomllib` (3.11+); either way the data has the file's shape, and
only the fields run.py uses are read (`ftlab list` validates the rest).
"""

import json
from dataclasses import dataclass, field

ENVIRONMENT_KEY = "FTLAB_MANIFEST_JSON"


class ManifestError(Exception):
    """The manifest cannot be read or does not have the expected shape."""


@dataclass
class Manifest:
    name: str
    unit: str
    variants: list  # variant names, in file order
    params: dict  # parameter name -> default value (a string)
    kind: str = "batch"  # "batch" or "server"
    max_threads: dict = field(default_factory=dict)  # variant name -> the most threads it runs (absent: no limit)


def manifest_from_json(text):
    """The manifest ftlab passed in FTLAB_MANIFEST_JSON."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(f"{ENVIRONMENT_KEY}: {exc}") from None
    return _manifest(data, ENVIRONMENT_KEY)


def read_manifest(path):
    """The manifest in the `workload.toml` at `path` (a run started by hand)."""
    try:
        import tomllib
    except ImportError:
        raise ManifestError(f"{path}: reading workload.toml needs Python 3.11+ (tomllib); "
                            f"ftlab passes the manifest in {ENVIRONMENT_KEY} instead") from None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        data = tomllib.loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ManifestError(f"{path}: {exc}") from None
    return _manifest(data, path)


def _manifest(data, source):
    """The fields run.py uses from manifest data; ManifestError naming `source` if one is missing."""
    try:
        variants = data["variants"]
        return Manifest(
            name=data["name"], unit=data["unit"],
            variants=[variant["name"] for variant in variants],
            params={param["name"]: param["default"] for param in data.get("params", [])},
            kind=data.get("kind", "batch"),
            max_threads={v["name"]: v["max_threads"] for v in variants if "max_threads" in v},
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ManifestError(f"{source}: not a workload manifest ({type(exc).__name__}: {exc}); "
                            f"`ftlab list` says what is wrong") from None
