"""Writes PROTOCOL.md's field tables from protocol.json, or checks them.

    python3 Workloads/_harness/protocol_doc.py           rewrite the tables in PROTOCOL.md
    python3 Workloads/_harness/protocol_doc.py --check   exit 1 when PROTOCOL.md is out of date

The tables sit between the two marker lines below; the rest of PROTOCOL.md is written by hand.
`--check` also holds every JSON example of a message in PROTOCOL.md to protocol.json.
"""

import json
import os
import re
import sys

from _ftlab_protocol import SCHEMA, problems

HERE = os.path.dirname(os.path.abspath(__file__))
DOCUMENT = os.path.join(HERE, "PROTOCOL.md")
BEGIN = "<!-- protocol.json's fields, written by protocol_doc.py: edit protocol.json, then run it -->"
END = "<!-- end of the fields written by protocol_doc.py -->"


def tables():
    """The generated part: one table per message, then per object, in protocol.json's order."""
    lines = [BEGIN]
    for heading, entries in (("message", SCHEMA["messages"]), ("object", SCHEMA["objects"])):
        for name, entry in entries.items():
            lines += ["", f"`{name}` ({heading}): {entry['about']}", "",
                      "| field | type | | meaning |", "|---|---|---|---|"]
            lines += [f"| `{field['name']}` | `{field['type']}` | {'required' if field['required'] else 'optional'} "
                      f"| {field['about']} |" for field in entry["fields"]]
    return "\n".join(lines + ["", END])


def rewritten(text):
    """`text` with its generated part replaced by `tables()`; ValueError without the markers."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{DOCUMENT} lacks the marker lines {BEGIN!r} and {END!r}")
    return text[:start] + tables() + text[end + len(END):]


def example_problems(text):
    """What is wrong with the document's JSON examples of messages (objects with a `type`)."""
    found = []
    for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL):
        try:
            example = json.loads(block)
        except ValueError:
            continue  # a fragment, not a whole message
        if isinstance(example, dict) and "type" in example:
            found += [f"example {example['type']}: {problem}" for problem in problems(example)]
    return found


def main(argv):
    with open(DOCUMENT, encoding="utf-8") as f:
        text = f.read()
    updated = rewritten(text)
    if "--check" not in argv:
        with open(DOCUMENT, "w", encoding="utf-8") as f:
            f.write(updated)
        return 0
    found = example_problems(text)
    if updated != text:
        found.append("the field tables differ from protocol.json: run Workloads/_harness/protocol_doc.py")
    for problem in found:
        print(f"PROTOCOL.md: {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
