"""Tests of the Python harness (Workloads/_harness) against protocol.json, on the interpreter that
runs them: every message a real run sends is checked against the schema.

    PYTHON Tests/Harness/test_harness.py [-v]

HarnessPythonTests runs this file on both builds of the lab pair. Standard library only.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import unittest

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HARNESS = os.path.join(REPOSITORY, "Workloads", "_harness")
LOG_PROCESSING = os.path.join(REPOSITORY, "Workloads", "log-processing")
sys.path.insert(0, HARNESS)

import _ftlab_protocol  # noqa: E402
import protocol_doc  # noqa: E402

PROBE_TOML = """\
name = "probe"
description = "Harness test probe."
question = "Does the harness keep its promises?"
unit = "ops"
[[variants]]
name = "ok"
question = "Prints everywhere; must still verify."
[[variants]]
name = "worker-raises"
question = "Worker 1 raises."
[[variants]]
name = "coordinator-raises"
question = "The coordinator raises while the workers wait on a queue forever."
[[variants]]
name = "prepare-raises"
question = "prepare() raises."
[[variants]]
name = "wrong"
question = "verify() reports a mismatch."
"""

PROBE_PY = """\
import queue

def create(variant, threads, params, seed):
    print("create: stdout from the workload")
    return Probe(variant)

class Probe:
    def __init__(self, variant):
        self.variant = variant
        if variant == "coordinator-raises":
            self.coordinator = self._coordinator
        self.stuck = queue.Queue()

    def prepare(self):
        print("prepare: stdout from the workload")
        if self.variant == "prepare-raises":
            raise RuntimeError("no input")  # PROBE-PREPARE-LINE

    def run(self, index, batch):
        print("run: stdout from the workload", index, batch)
        if self.variant == "worker-raises" and index == 1:
            raise ValueError("worker 1 broke")  # PROBE-WORKER-LINE
        if self.variant == "coordinator-raises":
            self.stuck.get()
        return batch

    def _coordinator(self, batch):
        raise KeyError("reader broke")  # PROBE-COORDINATOR-LINE

    def verify(self):
        print("verify: stdout from the workload")
        return self.variant != "wrong", "abc", "abc" if self.variant != "wrong" else "def"
"""

SERVER_TOML = """\
name = "server-probe"
description = "A server that listens and serves nothing."
question = "Are a server's messages what protocol.json says?"
unit = "requests"
kind = "server"
[[variants]]
name = "computed"
question = "The mix from requests() and expected()."
[[variants]]
name = "learned"
question = "The mix from checks(), one body learned."
"""

SERVER_PY = """\
import socket

def create(variant, threads, params, seed):
    return Probe(variant)

class Probe:
    def __init__(self, variant):
        self.variant = variant
        if variant == "learned":
            self.checks = lambda: [{"target": "/a", "status": 200, "length": None, "crc32": None, "learn": True},
                                   {"target": "/b", "status": 404, "length": None, "crc32": None}]

    def prepare(self):
        pass

    def requests(self):
        return ["/a"]

    def expected(self, target):
        return b"hello"

    def start(self, host, port, slots):
        slots.enter(0)
        self.sock = socket.create_server((host, port))
        return self.sock.getsockname()[1]

    def stop(self):
        self.sock.close()

    def verify(self):
        return True, "ok", "ok"
"""


def run_harness(workload_dir, variants, threads, *extra, stdin=None):
    """(exit status, decoded protocol messages, stderr) of run.py with the interpreter running
    these tests. Every line must be JSON."""
    command = [sys.executable, "-X", "faulthandler", os.path.join(HARNESS, "run.py"),
               f"--workload-dir={workload_dir}", "--threads", str(threads), *extra]
    command += [f"--variant={variant}" for variant in ([variants] if isinstance(variants, str) else variants)]
    done = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=300)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def write_workload(directory, toml, module):
    os.makedirs(directory)
    for name, text in (("workload.toml", toml), ("workload.py", module)):
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)
    return directory


class HarnessCase(unittest.TestCase):
    """Runs the harness and holds every message it sends to protocol.json."""

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="ftlab-harness-tests-")
        cls.probe = write_workload(os.path.join(cls.scratch, "probe"), PROBE_TOML, PROBE_PY)
        cls.server = write_workload(os.path.join(cls.scratch, "server"), SERVER_TOML, SERVER_PY)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def harness(self, *args, **kwargs):
        code, messages, stderr = run_harness(*args, **kwargs)
        for message in messages:
            self.assertEqual(_ftlab_protocol.problems(message), [], message)
        return code, messages, stderr

    def assert_stream(self, messages, samples, warmups, calibrated):
        """A complete successful batch stream; returns (hello, measured samples, bye)."""
        kinds = [m["type"] for m in messages]
        self.assertEqual((kinds[0], kinds[-1]), ("hello", "bye"), kinds)
        self.assertEqual(set(kinds[1:-1]), {"sample"}, kinds)
        sample_messages = messages[1:-1]
        self.assertEqual([m["index"] for m in sample_messages], list(range(len(sample_messages))))
        flags = [m["warmup"] for m in sample_messages]
        self.assertEqual(flags, sorted(flags, reverse=True), "warmups must come first")
        measured = [m for m in sample_messages if not m["warmup"]]
        self.assertEqual(len(measured), samples)
        self.assertGreaterEqual(len(sample_messages) - samples, max(warmups, 1) if calibrated else warmups)
        for m in sample_messages:
            self.assertEqual(sum(m["per_thread_ops"]), m["ops"])
            self.assertGreater(m["wall_ns"], 0)
        self.assertEqual(len({m["batch"] for m in measured}), 1)
        return messages[0], measured, messages[-1]


class SchemaTests(unittest.TestCase):
    def test_message_takes_the_schema_order_and_refuses_unknown_or_missing_fields(self):
        built = _ftlab_protocol.message("error", where="w.py:1", traceback="", message="m")
        self.assertEqual(list(built), ["type", "message", "traceback", "where"])
        with self.assertRaisesRegex(_ftlab_protocol.SchemaError, "'line'"):
            _ftlab_protocol.message("error", message="m", traceback="", where="", line=3)
        with self.assertRaisesRegex(_ftlab_protocol.SchemaError, "'where'"):
            _ftlab_protocol.message("error", message="m", traceback="")
        with self.assertRaises(_ftlab_protocol.SchemaError):
            _ftlab_protocol.message("gossip")

    def test_problems_names_wrong_types_unknown_fields_and_nested_objects(self):
        usage = {"type": "usage", "served": 1, "per_thread_served": [1], "cpu_user_s": 0.5, "cpu_sys_s": 0,
                 "ctx_voluntary": 1, "ctx_involuntary": 0}
        self.assertEqual(_ftlab_protocol.problems(usage), [])
        self.assertEqual(_ftlab_protocol.problems({**usage, "served": True}), ["usage.served: True is not int"])
        self.assertEqual(_ftlab_protocol.problems({**usage, "extra": 1}), ["usage.extra: not in protocol.json"])
        listening = {"type": "listening", "host": "h", "port": 1,
                     "requests": [{"target": "/", "status": 200, "length": None, "crc32": "x"}]}
        self.assertEqual(_ftlab_protocol.problems(listening), ["listening.requests[0].crc32: 'x' is not int"])
        self.assertEqual(_ftlab_protocol.problems({"type": "gossip"}), ["unknown message type 'gossip'"])

    def test_protocol_md_tables_and_examples_match_the_schema(self):
        with open(protocol_doc.DOCUMENT, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(protocol_doc.rewritten(text), text,
                         "PROTOCOL.md's field tables are out of date: run Workloads/_harness/protocol_doc.py")
        self.assertEqual(protocol_doc.example_problems(text), [])


class BatchTests(HarnessCase):
    def test_log_processing_variants_verify_at_one_and_two_threads(self):
        for variant in ("partitioned", "shared-lock", "pipeline"):
            for threads in (1, 2):
                with self.subTest(variant=variant, threads=threads):
                    code, messages, stderr = self.harness(LOG_PROCESSING, variant, threads, "--samples", "2",
                                                          "--warmups", "1", "--batch", "500")
                    self.assertEqual(code, 0, stderr[-2000:])
                    hello, _, bye = self.assert_stream(messages, 2, 1, calibrated=False)
                    self.assertTrue(bye["verified"] and bye["checksum"] == bye["expected"], bye)
                    self.assertEqual(len(bye["thread_cpus"]), threads)
                    self.assertEqual(len(bye["thread_allowed"]), threads)
                    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
                    self.assertEqual(hello["build"], "freethreaded" if free_threaded else "gil")
                    self.assertEqual(hello["gil_enabled"], not free_threaded)

    def test_calibration_with_thread_stats(self):
        code, messages, stderr = self.harness(LOG_PROCESSING, "pipeline", 2, "--samples", "2", "--warmups", "1",
                                              "--target-seconds", "0.02", "--thread-stats")
        self.assertEqual(code, 0, stderr[-2000:])
        _, measured, _ = self.assert_stream(messages, 2, 1, calibrated=True)
        for sample in measured:
            self.assertEqual(len(sample["thread_stats"]["tids"]), 2)

    def test_a_broken_parser_fails_verification(self):
        broken = os.path.join(self.scratch, "broken")
        shutil.copytree(LOG_PROCESSING, broken, ignore=shutil.ignore_patterns("__pycache__"))
        path = os.path.join(broken, "workload.py")
        with open(path) as f:
            source = f.read()
        wrong = source.replace(r'''(?P<path>[^\s?"]+)''', r'''(?P<path>[^\s"]+)''')
        self.assertNotEqual(wrong, source, "the parser line to break was not found")
        with open(path, "w") as f:
            f.write(wrong)  # the query string now stays in the path: fast and wrong
        code, messages, _ = self.harness(broken, "partitioned", 2, "--samples", "1", "--warmups", "0",
                                         "--batch", "3000")
        self.assertEqual(code, 3)
        self.assertFalse(messages[-1]["verified"])
        self.assertNotEqual(messages[-1]["checksum"], messages[-1]["expected"])

    def test_workload_prints_stay_off_the_protocol(self):
        code, messages, stderr = self.harness(self.probe, "ok", 2, "--samples", "2", "--warmups", "1",
                                              "--batch", "3")
        self.assertEqual(code, 0, stderr)
        self.assert_stream(messages, 2, 1, calibrated=False)
        self.assertIn("run: stdout from the workload", stderr)

    def test_an_exception_anywhere_sends_an_error_naming_the_workload_line(self):
        lines = PROBE_PY.splitlines()
        for variant, marker in (("worker-raises", "PROBE-WORKER-LINE"), ("coordinator-raises", "PROBE-COORDINATOR-LINE"),
                                ("prepare-raises", "PROBE-PREPARE-LINE")):
            with self.subTest(variant=variant):
                code, messages, _ = self.harness(self.probe, variant, 2, "--samples", "2", "--warmups", "0",
                                                 "--batch", "1")
                error = messages[-1]
                self.assertEqual((code, error["type"]), (1, "error"), messages)
                line = next(i for i, text in enumerate(lines, 1) if marker in text)
                self.assertEqual(error["where"], f"workload.py:{line}")
                self.assertIn("Traceback", error["traceback"])

    def test_a_failed_verification_exits_3_with_a_message(self):
        code, messages, _ = self.harness(self.probe, "wrong", 1, "--samples", "1", "--warmups", "0", "--batch", "1")
        self.assertEqual(code, 3)
        self.assertIs(messages[-1]["verified"], False)
        self.assertTrue(messages[-1]["message"].startswith("verify() at workload.py:"), messages[-1])

    def test_bad_arguments_exit_2_naming_the_value(self):
        base = ["--samples", "1", "--warmups", "0"]
        for args, expect in (
            (("nope", 1, *base), "partitioned, shared-lock"),
            (("partitioned", 1, *base, "--param", "x=1"), "params: lines, chunk"),
            (("partitioned", 0, *base), "--threads"),
            (("partitioned", 2, *base, "--cpus", "0"), "--cpus"),
            (("partitioned", 1, "--warmups", "0"), "--samples"),
        ):
            with self.subTest(expect=expect):
                code, messages, stderr = self.harness(LOG_PROCESSING, *args)
                self.assertEqual((code, [m["type"] for m in messages]), (2, ["error"]))
                self.assertTrue(messages[0]["message"].startswith("UsageError: "))
                self.assertIn(expect, messages[0]["message"])
                self.assertIn(expect, stderr)

    def test_several_variants_in_one_process_each_open_with_a_variant_line(self):
        code, messages, _ = self.harness(self.probe, ["ok", "prepare-raises", "ok"], 1, "--samples", "1",
                                         "--warmups", "0", "--batch", "1")
        self.assertEqual(code, 1)
        self.assertEqual([m["type"] for m in messages],
                         ["variant", "hello", "sample", "bye", "variant", "error", "variant", "hello", "sample", "bye"])
        self.assertEqual([m["name"] for m in messages if m["type"] == "variant"], ["ok", "prepare-raises", "ok"])


class ServerTests(HarnessCase):
    def test_a_server_conversation_follows_the_schema(self):
        for variant in ("computed", "learned"):
            with self.subTest(variant=variant):
                code, messages, stderr = self.harness(self.server, variant, 1, "--samples", "1", "--warmups", "0",
                                                      stdin="usage\nstop 0 0\n")
                self.assertEqual(code, 0, stderr)
                self.assertEqual([m["type"] for m in messages], ["hello", "listening", "usage", "bye"])
                self.assertEqual(messages[-1]["checksum"], "0 served")
                mix = messages[1]["requests"]
                if variant == "computed":
                    self.assertEqual(mix, [{"target": "/a", "status": 200, "length": 5, "crc32": 907060870}])
                else:
                    self.assertTrue(mix[0]["learn"] and "learn" not in mix[1])

    def test_an_unknown_command_is_a_bad_argument(self):
        code, messages, _ = self.harness(self.server, "computed", 1, "--samples", "1", "--warmups", "0",
                                         stdin="gossip\n")
        self.assertEqual((code, [m["type"] for m in messages]), (2, ["hello", "listening", "error"]))


if __name__ == "__main__":
    unittest.main()
