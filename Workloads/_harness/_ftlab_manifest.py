"""Load and check a workload's `workload.toml`.

Uses `tomllib` (3.11+); on 3.10 a tiny parser for the subset manifests use: comments,
`[table]`, `[[array-of-tables]]`, `key = value` with bare keys, and values that are
strings (basic or literal), integers, floats, booleans or one-line arrays of those.
"""

import json
import re
from dataclasses import dataclass, field

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None


class ManifestError(Exception):
    """The manifest cannot be read or does not have the expected shape."""


KINDS = ("batch", "server")


@dataclass
class Manifest:
    name: str
    unit: str
    variants: list  # variant names, in file order
    params: dict  # parameter name -> default value (a string)
    kind: str = "batch"  # "batch" or "server"
    max_threads: dict = field(default_factory=dict)  # variant name -> the most threads it runs (absent: no limit)


def load_manifest(path):
    """Parse and check the manifest at `path`."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        data = tomllib.loads(text) if tomllib else parse_toml_subset(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ManifestError(f"{path}: {exc}") from None
    return _check(data, path)


def _check(data, path):
    def need(table, key, where):
        value = table.get(key)
        if not isinstance(value, str):
            raise ManifestError(f"{path}: {where} needs a string `{key}`")
        return value

    for key in ("name", "description", "question", "unit"):
        need(data, key, "the manifest")
    variants = data.get("variants")
    if not isinstance(variants, list) or not variants:
        raise ManifestError(f"{path}: needs at least one [[variants]] table")
    kind = data.get("kind", "batch")
    if kind not in KINDS:
        raise ManifestError(f"{path}: `kind` must be one of {', '.join(KINDS)}, not {kind!r}")
    names = []
    max_threads = {}
    for i, variant in enumerate(variants):
        name = need(variant, "name", f"[[variants]] #{i + 1}")
        need(variant, "question", f"variant {name!r}")
        if name in names:
            raise ManifestError(f"{path}: variant {name!r} is declared twice")
        names.append(name)
        if "max_threads" in variant:
            limit = variant["max_threads"]
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise ManifestError(f"{path}: variant {name!r}: `max_threads` must be an integer >= 1")
            max_threads[name] = limit
    params = {}
    for i, param in enumerate(data.get("params", [])):
        name = need(param, "name", f"[[params]] #{i + 1}")
        params[name] = need(param, "default", f"param {name!r}")
        need(param, "description", f"param {name!r}")
    return Manifest(data["name"], data["unit"], names, params, kind, max_threads)


_HEADER = re.compile(r"(\[\[?)\s*([A-Za-z0-9_-]+)\s*(\]\]?)\s*(?:#.*)?")
_KEY_VALUE = re.compile(r"([A-Za-z0-9_-]+)\s*=\s*")
_TOKEN = re.compile(
    r"""\s*(?:(?P<basic>"(?:[^"\\\n]|\\.)*")|(?P<literal>'[^'\n]*')|(?P<bool>true|false)\b"""
    r"""|(?P<number>[+-]?[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?)|(?P<open>\[))"""
)
_REST = re.compile(r"\s*(?:#.*)?$")
_CLOSE = re.compile(r"\s*\]")
_COMMA = re.compile(r"\s*,")


def parse_toml_subset(text):
    """Parse the TOML subset described in the module docstring; ValueError on anything else."""
    root = {}
    table = root
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.fullmatch(stripped)
        if header:
            opening, name, closing = header.groups()
            if len(opening) != len(closing):
                raise ValueError(f"line {lineno}: malformed table header")
            if opening == "[[":
                table = {}
                root.setdefault(name, []).append(table)
            else:
                table = root.setdefault(name, {})
            continue
        match = _KEY_VALUE.match(stripped)
        if not match:
            raise ValueError(f"line {lineno}: expected `key = value`")
        key = match.group(1)
        if key in table:
            raise ValueError(f"line {lineno}: duplicate key {key!r}")
        table[key], end = _value(stripped, match.end(), lineno)
        if not _REST.match(stripped, end):
            raise ValueError(f"line {lineno}: unexpected text after the value")
    return root


def _value(text, pos, lineno):
    match = _TOKEN.match(text, pos)
    if not match:
        raise ValueError(f"line {lineno}: unsupported value")
    kind, token = match.lastgroup, match.group(match.lastgroup)
    if kind == "basic":
        return json.loads(token), match.end()
    if kind == "literal":
        return token[1:-1], match.end()
    if kind == "bool":
        return token == "true", match.end()
    if kind == "number":
        is_float = any(c in token for c in ".eE")
        return (float if is_float else int)(token.replace("_", "")), match.end()
    items, pos = [], match.end()
    while True:
        closing = _CLOSE.match(text, pos)
        if closing:
            return items, closing.end()
        item, pos = _value(text, pos, lineno)
        items.append(item)
        comma = _COMMA.match(text, pos)
        if comma:
            pos = comma.end()
        elif not _CLOSE.match(text, pos):
            raise ValueError(f"line {lineno}: expected `,` or `]` in an array")
