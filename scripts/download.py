# Rule glue for download_file, download_udpipe_model and download_eval_file: see
# smie/download.py. An evaluation set is read in its task's format once downloaded.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.download import fetch
from smie.rules import rule_log

spec, settings, task = snakemake.params.spec, snakemake.params.settings, snakemake.params.check

with rule_log(snakemake.log[0]):
    fetch(
        spec["url"],
        snakemake.output[0],
        checksum={algo: spec[algo] for algo in ("md5", "sha1", "sha256") if algo in spec} or None,
        checksums_url=spec.get("checksums_url"),
        mirror=settings["mirror"],
        retries=settings["retries"],
        timeout=settings["timeout"],
        auth_env=settings["auth_env"],
    )
    if task is not None:
        from smie.evaluate.data import read_task_file

        read_task_file(snakemake.output[0], task)
