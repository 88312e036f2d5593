"""Runs and times processes inside a private mount namespace with ``/etc`` overlaid.

Started by ``cold.NamespaceLauncher`` as
``unshare --mount --propagation private python ns_helper.py CONFIG``.  It mounts
an overlay over ``/etc`` whose upper layer is a temp folder, optionally writes
``/etc/backend.ai/config.toml`` there, then answers one JSON line per request.
The real ``/etc`` is never written: the overlay exists only in this namespace.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

SYSTEM_FILE = Path("/etc/backend.ai/config.toml")


def mount(overlay: Path) -> None:
    """Overlay ``/etc`` with ``overlay/upper`` (private to this namespace)."""
    upper, work = overlay / "upper", overlay / "work"
    upper.mkdir(parents=True)
    work.mkdir()
    options = f"lowerdir=/etc,upperdir={upper},workdir={work}"
    subprocess.run(["mount", "-t", "overlay", "overlay", "-o", options, "/etc"], check=True)


def serve() -> None:
    """Answer requests: run the process, time it, report."""
    for line in sys.stdin:
        req = json.loads(line)
        start = time.perf_counter()
        done = subprocess.run(
            req["argv"],
            env=req["env"],
            cwd=req["cwd"],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        answer = {
            "seconds": seconds,
            "returncode": done.returncode,
            "stdout": done.stdout,
            "stderr": done.stderr,
        }
        print(json.dumps(answer), flush=True)


def main() -> None:
    """Set up the namespace's ``/etc``, then serve."""
    config = json.loads(sys.argv[1])
    try:
        mount(Path(config["overlay"]))
        if config["system_file"] is not None:
            SYSTEM_FILE.parent.mkdir(exist_ok=True)
            SYSTEM_FILE.write_text(config["system_file"])
            SYSTEM_FILE.chmod(0o644)
        elif SYSTEM_FILE.exists():
            SYSTEM_FILE.unlink()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(json.dumps({"error": f"could not overlay /etc: {exc}"}), flush=True)
        return
    print(json.dumps({"ready": True}), flush=True)
    serve()


if __name__ == "__main__":
    main()
