"""A warm-benchmark worker, run by a contestant's venv interpreter (stdlib only).

``python warm_worker.py DIR MODULE`` imports ``MODULE`` from ``DIR``, calls its
``make()`` to get the callable to time (which also warms any cache), prints one
JSON line with the endpoint it resolved, then for each line ``N`` on stdin times
``N`` calls with the garbage collector off (as ``timeit`` does) and prints the
elapsed seconds.
"""

from __future__ import annotations

import gc
import importlib
import json
import sys
import time


def endpoint_of(obj: object) -> str:
    """The endpoint a contestant's result holds."""
    if isinstance(obj, dict):
        return str(obj["endpoint"])
    return str(getattr(obj, "endpoint", obj))


def main() -> None:
    """Set up, report the endpoint, then time batches on request."""
    directory, module = sys.argv[1], sys.argv[2]
    sys.path[0] = directory  # instead of this script's folder, which must shadow nothing
    fn = importlib.import_module(module).make()
    print(json.dumps({"endpoint": endpoint_of(fn())}), flush=True)
    for line in sys.stdin:
        count = int(line)
        enabled = gc.isenabled()
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(count):
                fn()
            elapsed = time.perf_counter() - start
        finally:
            if enabled:
                gc.enable()
        print(repr(elapsed), flush=True)


if __name__ == "__main__":
    main()
