# Rule glue for download_file: see smie/download.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.download import fetch
from smie.rules import rule_log

spec = snakemake.params.spec
settings = snakemake.params.settings


def resolve(url):
    """Relative file: URLs in the config are relative to the workflow's directory."""
    if url.startswith("file:") and not url.startswith("file:/"):
        return (Path(snakemake.params.basedir) / url[len("file:") :]).resolve().as_uri()
    return url


with rule_log(snakemake.log[0]):
    checksum = {algo: spec[algo] for algo in ("md5", "sha1", "sha256") if algo in spec}
    fetch(
        resolve(spec["url"]),
        snakemake.output[0],
        checksum=checksum or None,
        checksums_url=resolve(spec["checksums_url"]) if "checksums_url" in spec else None,
        mirror=settings["mirror"],
        retries=settings["retries"],
        timeout=settings["timeout"],
        auth_env=snakemake.params.auth_env,
    )
