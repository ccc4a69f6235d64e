"""gunicorn --config for `benchmarks/load.py --trace`: tracemalloc inside each worker, for finding what keeps
growing. Lives here, not in the product: the site itself never traces.

With $KAST_LAST_TRACE naming a folder, every worker watches that folder for trigger files written by the
benchmark: `trigger-start` starts tracemalloc (after warming up, so only what is allocated under load is
traced), `trigger-<step>` writes `<pid>-<step>.snapshot` (tracemalloc's own dump format) and
`<pid>-<step>.json` (traced and peak bytes, gc counts) after a full garbage collection.
"""
import gc
import json
import os
import threading
import time
import tracemalloc

FRAMES = 12   # deep enough to see which view or library call allocated, shallow enough to stay usable


def post_fork(server, worker):
    folder = os.environ.get("KAST_LAST_TRACE")
    if not folder:
        return

    def watch():
        done: set[str] = set()
        while True:
            for name in sorted(os.listdir(folder)):
                if not name.startswith("trigger-") or name in done:
                    continue
                done.add(name)
                step = name[len("trigger-"):]
                if step == "start":
                    tracemalloc.start(FRAMES)
                    continue
                gc.collect()
                snapshot = tracemalloc.take_snapshot()
                base = os.path.join(folder, f"{os.getpid()}-{step}")
                snapshot.dump(base + ".snapshot.tmp")
                os.replace(base + ".snapshot.tmp", base + ".snapshot")
                traced, peak = tracemalloc.get_traced_memory()
                with open(base + ".json.tmp", "w") as out:
                    json.dump({"traced": traced, "peak": peak, "objects": len(gc.get_objects()),
                               "threads": threading.active_count()}, out)
                os.replace(base + ".json.tmp", base + ".json")   # the benchmark waits for this file
            time.sleep(0.5)

    threading.Thread(target=watch, name="kast-tracemalloc", daemon=True).start()
