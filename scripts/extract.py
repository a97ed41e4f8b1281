# Rule glue for extract_<source>: see smie/extract/run.py.
import sys

sys.path.insert(0, str(__import__("pathlib").Path(snakemake.scriptdir).parent))

from smie.extract.run import extract
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    stats = extract(
        snakemake.input,
        kind=snakemake.params.kind,
        source=snakemake.params.source,
        lang_hint=snakemake.params.lang,
        shard_paths=snakemake.output.shards,
        stats_path=snakemake.output.stats,
        rejected_path=snakemake.output.rejected,
    )
    print(stats.to_dict(), file=sys.stderr)
