# Rule glue for download_file: see smie/download.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.download import fetch
from smie.rules import rule_log

spec = snakemake.params.spec
settings = snakemake.params.settings

with rule_log(snakemake.log[0]):
    fetch(
        spec["url"],
        snakemake.output[0],
        checksum={algo: spec[algo] for algo in ("md5", "sha1", "sha256") if algo in spec} or None,
        checksums_url=spec.get("checksums_url"),
        mirror=settings["mirror"],
        retries=settings["retries"],
        timeout=settings["timeout"],
        auth_env=snakemake.params.auth_env,
    )
