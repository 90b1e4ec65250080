# my-workloads/json-roundtrip/workload.py
import json

class Roundtrip:
    def __init__(self, threads, params):
        self.doc = {"items": list(range(int(params["items"])))}
        self.done = [0] * threads          # per-thread counters: no shared writes
        self.ok = [True] * threads

    def prepare(self):                     # build inputs; not timed
        self.expected = json.dumps(self.doc)

    def run(self, thread_index, batch):    # one batch on one worker thread; returns ops done
        for _ in range(batch):
            if json.dumps(json.loads(self.expected)) != self.expected:
                self.ok[thread_index] = False
        self.done[thread_index] += batch
        return batch

    def verify(self):                      # (ok, checksum, expected) over the whole process
        return all(self.ok), str(sum(self.done)), str(sum(self.done))

def create(variant, threads, params, seed):
    return Roundtrip(threads, params)
