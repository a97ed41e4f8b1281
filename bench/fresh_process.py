"""Run a measurement in a fresh Python process, so that its memory is its own.

``run(code)`` runs ``code`` with the repository importable and progress bars off, and
returns the JSON object it prints last. ``PEAK_RSS_MB`` is an expression for the
process's peak RSS: the kernel's high-water mark (VmHWM), not ``ru_maxrss``, which
keeps the forking parent's size across exec.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEAK_RSS_MB = 'int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024'


def run(code: str) -> dict:
    prelude = f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
    proc = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True, check=True,
                          env={**os.environ, "TQDM_DISABLE": "1"})
    return json.loads(proc.stdout.strip().splitlines()[-1])
