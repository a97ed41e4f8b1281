import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from smie.documents import Document
from smie.extract import read_local_sources


REPO = Path(__file__).resolve().parent.parent


def snakemake(*args, cwd=REPO, check=True):
    """Run the real Snakemake on this workflow; return the finished process."""
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), *args]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def job_counts(dry_run_stdout: str) -> dict[str, int]:
    """The "Job stats" table of a dry run, as {rule: count}."""
    table = dry_run_stdout.split("Job stats:")[1].split("total")[0]
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)$", table, re.M)}


DEMO_CONFIG = REPO / "demo" / "config.yaml"
PLANTED = json.loads((REPO / "demo" / "corpora" / "planted.json").read_text())


def demo_documents() -> list[Document]:
    """Every document of the demo corpora, read in place as demo/config.yaml declares them."""
    config = yaml.safe_load(DEMO_CONFIG.read_text())
    return [r for r in read_local_sources(config, REPO) if isinstance(r, Document)]


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """One real Snakemake run of the whole demo DAG, shared by every test file that reads it."""
    workdir = tmp_path_factory.mktemp("demo")
    snakemake("--configfile", str(DEMO_CONFIG), "--directory", str(workdir), "--cores", "2")
    return workdir
