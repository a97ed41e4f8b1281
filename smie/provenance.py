"""What makes a table traceable: the settings' hash, the package versions, the commit.

Kept apart from smie.tables (pandas): the Snakefile imports `git_commit`, and every
job parses the Snakefile."""

from __future__ import annotations

import subprocess
from pathlib import Path

PACKAGES = ["smie", "snakemake", "pandas", "polyglot", "pycld2", "fasttext-numpy2-wheel", "ufal.udpipe", "tokenizers",
            "transformers", "torch"]


def git_commit(directory: str | Path) -> str | None:
    """The commit of the checkout the workflow runs from ("+ local changes" when its
    tracked files differ from it); None outside a git checkout or without git."""
    def git(*args):
        return subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True, check=True,
                              timeout=60).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + (" + local changes" if dirty else "")


def provenance(config_hash: str, commit: str | None = None) -> str:
    """What makes a table traceable: the hash of exactly the settings it came from,
    the versions of the packages that did the work and the project's commit."""
    from importlib import metadata

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return "?"

    text = f"Config {config_hash}; " + ", ".join(f"{p} {version(p)}" for p in PACKAGES)
    return text + (f"; commit {commit}." if commit else ".")
