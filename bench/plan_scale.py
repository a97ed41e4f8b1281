"""Scale on paper: how long Snakemake takes to plan the full run at 1,000 shards per
large source, and how many jobs it plans.

Copies config.yaml with `shards` set to N for the large sources (wikipedia_nb, nak,
oscar_nb; the others as they are), times `snakemake -n` on it in an empty working
directory and prints the seconds and the planned jobs per rule. A dry run only plans:
nothing is downloaded.

    .venv/bin/python bench/plan_scale.py              # 1000 shards
    .venv/bin/python bench/plan_scale.py --shards 16 64 1000
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
LARGE_SOURCES = ["wikipedia_nb", "nak", "oscar_nb"]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plan(shards: int, workdir: Path, *extra: str) -> tuple[float, float, dict[str, int]]:
    """Wall and CPU seconds of `snakemake -n` at `shards` shards per large source, and
    its job stats. CPU seconds are the figure to compare on a busy machine."""
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    for source in LARGE_SOURCES:
        config["sources"][source]["shards"] = shards
    configfile = workdir / f"config-{shards}.yaml"
    configfile.write_text(yaml.safe_dump(config, sort_keys=False))
    rundir = workdir / f"run-{shards}"
    rundir.mkdir()
    cmd = [sys.executable, "-m", "snakemake", "-n", "--snakefile", str(REPO / "Snakefile"),
           "--configfile", str(configfile), "--directory", str(rundir), *extra]
    start, cpu = time.perf_counter(), child_cpu()
    # OSCAR is gated: planning its download needs a token, whatever its value
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, env={**os.environ, "HF_TOKEN": "plan"})
    seconds, cpu = time.perf_counter() - start, child_cpu() - cpu
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    table = (proc.stdout + proc.stderr).split("Job stats:")[1].split("This was a dry-run")[0]
    return seconds, cpu, {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shards", type=int, nargs="+", default=[1000])
    parser.add_argument("--profile", help="plan through this profile too (e.g. profiles/slurm)")
    args = parser.parse_args()
    extra = ["--profile", args.profile] if args.profile else []
    with tempfile.TemporaryDirectory() as tmp:
        for shards in args.shards:
            seconds, cpu, jobs = plan(shards, Path(tmp), *extra)
            total = jobs.pop("total")
            print(f"{shards} shards per large source: {total} jobs planned in {seconds:.1f} s ({cpu:.1f} s CPU)")
            for rule, n in sorted(jobs.items(), key=lambda kv: -kv[1]):
                print(f"  {rule:24} {n}")


if __name__ == "__main__":
    main()
