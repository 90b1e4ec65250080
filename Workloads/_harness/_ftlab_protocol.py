"""The protocol channel and its messages, built from protocol.json: the one definition of every
message the harness sends (PROTOCOL.md, "Messages").

`message(kind, **fields)` lays a message out in protocol.json's field order and refuses a field
the file does not define or a required one left out, so the harness cannot drift from it;
`problems(message)` checks the values' types too (the tests run it on every message they see).
"""

import json
import os
import sys
import threading
import traceback

SCHEMA_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "protocol.json")
with open(SCHEMA_PATH, encoding="utf-8") as _file:
    SCHEMA = json.load(_file)
VERSION = SCHEMA["version"]
_FIELDS = {kind: spec["fields"] for kind, spec in {**SCHEMA["messages"], **SCHEMA["objects"]}.items()}
_ORDER = {kind: [field["name"] for field in fields] for kind, fields in _FIELDS.items()}
_NAMES = {kind: set(names) for kind, names in _ORDER.items()}
_REQUIRED = {kind: {field["name"] for field in fields if field["required"]} for kind, fields in _FIELDS.items()}

# The most characters of a checksum, expected value or message sent in a `bye` or `error`; a
# longer text keeps its start and end around a marked cut (see `clip`).
MAX_TEXT = 1024


class SchemaError(Exception):
    """A message that protocol.json does not define: a bug in the harness, not in a workload."""


def message(kind, **fields):
    """The `kind` message holding `fields`, laid out in protocol.json's order."""
    if kind not in SCHEMA["messages"]:
        raise SchemaError(f"protocol.json defines no message {kind!r}")
    unknown = fields.keys() - _NAMES[kind]
    missing = _REQUIRED[kind] - fields.keys()
    if unknown or missing:
        raise SchemaError(f"{kind} message: fields {sorted(unknown)} are not in protocol.json, "
                          f"required {sorted(missing)} missing")
    return {"type": kind, **{name: fields[name] for name in _ORDER[kind] if name in fields}}


def problems(sent):
    """What is wrong with one decoded message against protocol.json, as sentences (none: valid)."""
    kind = sent.get("type") if isinstance(sent, dict) else None
    if kind not in SCHEMA["messages"]:
        return [f"unknown message type {kind!r}"]
    return _object_problems({k: v for k, v in sent.items() if k != "type"}, kind, kind)


def _object_problems(value, kind, path):
    if not isinstance(value, dict):
        return [f"{path}: {value!r} is not an object ({kind})"]
    found = [f"{path}.{name}: not in protocol.json" for name in sorted(value.keys() - _NAMES[kind])]
    found += [f"{path}.{name}: required, missing" for name in sorted(_REQUIRED[kind] - value.keys())]
    for field in _FIELDS[kind]:
        if field["name"] in value:
            found += _value_problems(value[field["name"]], field["type"], f"{path}.{field['name']}")
    return found


_SCALARS = {"int": int, "number": (int, float), "bool": bool, "string": str}


def _value_problems(value, kind, path):
    """`value` against a protocol.json type: a scalar, an object name, [T], {T}, T? (null allowed)."""
    if kind.endswith("?"):
        return [] if value is None else _value_problems(value, kind[:-1], path)
    if kind.startswith("["):
        if not isinstance(value, list):
            return [f"{path}: {value!r} is not a list ({kind})"]
        return [p for i, item in enumerate(value) for p in _value_problems(item, kind[1:-1], f"{path}[{i}]")]
    if kind.startswith("{"):
        if not isinstance(value, dict):
            return [f"{path}: {value!r} is not an object ({kind})"]
        return [p for key, item in value.items() for p in _value_problems(item, kind[1:-1], f"{path}.{key}")]
    if kind in _FIELDS:
        return _object_problems(value, kind, path)
    if isinstance(value, bool) != (kind == "bool") or not isinstance(value, _SCALARS[kind]):
        return [f"{path}: {value!r} is not {kind}"]
    return []


def clip(text, limit=MAX_TEXT):
    """`text` when at most `limit` characters, else its start and end around a marked cut."""
    if len(text) <= limit:
        return text
    tail = limit // 4
    head = limit - tail
    return f"{text[:head]} [... {len(text) - head - tail} characters cut ...] {text[-tail:]}"


def error_message(exc, where):
    """The `error` message for exception `exc` (message and traceback clipped), and its traceback text."""
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return message("error", message=clip(f"{type(exc).__name__}: {exc}", 4 * MAX_TEXT),
                   traceback=clip(text, 64 * MAX_TEXT), where=where), text


class Channel:
    """The protocol stream: a duplicate of the original stdout, one JSON object per line.

    fd 1 is pointed at stderr so that nothing else can write to the protocol stream.
    """

    def __init__(self):
        self.fd = os.dup(1)
        os.dup2(2, 1)
        self.lock = threading.Lock()
        self.closed = False

    def send(self, message):
        """Write one message; a no-op once an error has been sent."""
        with self.lock:
            self._write(message)

    def fail(self, exc, where, exit_code=1, before_exit=None):
        """Send an `error` for `exc`, call `before_exit` and end the process at once, from
        any thread.

        Only the first failure is reported; a later one only returns.
        """
        error, text = error_message(exc, where)
        with self.lock:
            if self.closed:
                return
            self._write(error)
            self.closed = True
        sys.stderr.write(text)
        sys.stderr.flush()
        if before_exit:
            before_exit()
        os._exit(exit_code)

    def _write(self, message):
        if self.closed:
            return
        data = memoryview((json.dumps(message, separators=(",", ":")) + "\n").encode())
        while data:
            data = data[os.write(self.fd, data) :]
