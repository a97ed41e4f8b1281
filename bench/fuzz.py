"""The long fuzzing campaign: mutated corpus files through every reader, clean and langid.

The harness is tests/fuzzing.py (the test suite runs it on a small budget). Seeds
are the demo corpora and, when ``$SMIE_SHARED_DATA`` (default ``../shared/data``)
is there, slices of real third-party files: a Wikipedia dump, OSCAR files and
saved web pages. Prints the outcomes, the slowest case and every crash with the
seed and case number that replay it; exits 1 if anything crashed.

    .venv/bin/python bench/fuzz.py --cases 5000 --seed 1
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
os.environ["TQDM_DISABLE"] = "1"  # read when tqdm is imported
from fuzzing import demo_seeds, fuzz, real_seeds, to_json  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    shared = Path(os.environ.get("SMIE_SHARED_DATA", REPO.parent / "shared" / "data"))
    seeds = demo_seeds() + real_seeds(shared)
    print(f"{len(seeds)} seed files ({sum(s.kind == 'html' for s in seeds)} web pages), {args.cases} cases, seed {args.seed}")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        report = fuzz(seeds, cases=args.cases, seed=args.seed, workdir=Path(work))
    print(f"{time.perf_counter() - start:.0f} s")
    print(to_json(report))
    return 1 if report.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
