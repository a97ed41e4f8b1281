import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from smie.documents import Document
from smie.extract import read_local_sources


REPO = Path(__file__).resolve().parent.parent
# Real Norwegian data sets for the optional tests (they skip, saying why, without them).
SHARED_DATA = Path(os.environ.get("SMIE_SHARED_DATA", REPO.parent / "shared" / "data"))


# The full run's OSCAR is gated: planning its download needs a token, whatever its value.
FULL_RUN_ENV = {"HF_TOKEN": "placeholder"}


def snakemake(*args, cwd=REPO, check=True, env=None):
    """Run the real Snakemake on this workflow (``env``: variables to add); return the finished process."""
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), *args]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def job_counts(dry_run_stdout: str) -> dict[str, int]:
    """The "Job stats" table of a dry run, as {rule: count}."""
    table = dry_run_stdout.split("Job stats:")[1].split("total")[0]
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)}


# Wall-clock figures: they differ between two runs that are otherwise identical.
TIMED = ("sequences_per_s", "sentences_per_s", "tokens_per_s", "mfu", "seconds", "minutes", "minutes_mean")


def without_timings(files: dict[Path, bytes]) -> dict:
    """Result files (path -> bytes) as two identical runs must agree on them: training
    logs, evaluation records and the results CSV without their wall-clock fields, and
    without the results table's other renderings (the same table, with its minutes) and
    the TensorBoard event files."""
    import csv

    out = {}
    for path, data in files.items():
        path = Path(path)
        if path.name.startswith("events.out.tfevents"):
            continue  # TensorBoard's: named and stamped by wall-clock time; their numbers are training.jsonl's
        if path.name == "training.jsonl" or "evaluate" in path.parts:
            records = [json.loads(data)] if path.suffix == ".json" else map(json.loads, data.splitlines())
            out[path] = [{k: v for k, v in r.items() if not k.endswith(TIMED)} for r in records]
        elif path.name == "results.csv":
            out[path] = [{k: v for k, v in r.items() if k not in TIMED}
                         for r in csv.DictReader(data.decode().splitlines())]
        elif path.stem != "results" or path.parent.name != "tables":
            out[path] = data
    return out


DEMO_CONFIG = REPO / "demo" / "config.yaml"
PLANTED = json.loads((REPO / "demo" / "corpora" / "planted.json").read_text())


def demo_config() -> dict:
    """The demo's config with its relative paths made absolute (as the workflow resolves
    them), to edit and write anywhere: the same settings, the same params."""
    from smie.config import with_absolute_paths

    return with_absolute_paths(yaml.safe_load(DEMO_CONFIG.read_text()), DEMO_CONFIG.parent)


def write_config(config: dict, path: Path) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def demo_documents() -> list[Document]:
    """Every document of the demo corpora, read in place as demo/config.yaml declares them."""
    config = yaml.safe_load(DEMO_CONFIG.read_text())
    return [r for r in read_local_sources(config, DEMO_CONFIG.parent) if isinstance(r, Document)]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """One real Snakemake run of the whole demo DAG, shared by every test file that reads it."""
    workdir = tmp_path_factory.mktemp("demo")
    snakemake("--configfile", str(DEMO_CONFIG), "--directory", str(workdir), "--cores", "2")
    return workdir


def wait_for(path: Path, proc, timeout: float = 120) -> None:
    """Until ``path`` exists, while the process that makes it is alive (a test then kills it)."""
    import time

    deadline = time.time() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.stdout.read()
        assert time.time() < deadline
        time.sleep(0.02)
