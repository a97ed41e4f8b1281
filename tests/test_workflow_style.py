"""The workflow files as Snakemake's own tools want them: `snakemake --lint` finds
nothing (for the full run's config and the demo's), and snakefmt (configured in
pyproject.toml) would change nothing."""

import subprocess
import sys

import pytest

from conftest import DEMO_CONFIG, FULL_RUN_ENV, REPO, snakemake


@pytest.mark.parametrize("configfile", [None, DEMO_CONFIG], ids=["full", "demo"])
def test_snakemake_lint_finds_nothing(tmp_path, configfile):
    args = ["--configfile", str(configfile)] if configfile else []
    proc = snakemake("--lint", *args, "--directory", str(tmp_path), check=False, env=FULL_RUN_ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Congratulations, your workflow is in a good condition!" in proc.stdout + proc.stderr


def test_snakefmt_would_change_nothing():
    files = [REPO / "Snakefile", *sorted((REPO / "rules").glob("*.smk"))]
    assert len(files) > 10
    proc = subprocess.run([sys.executable, "-m", "snakefmt", "--check", "--diff", *map(str, files)],
                          cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
