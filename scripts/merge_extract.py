# Rule glue for extract_<source> of a source read in parts: see smie/extract/run.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.extract.run import merge_parts
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    parts = len(snakemake.input.stats)
    shards = list(snakemake.input.shards)
    per_part = len(shards) // parts
    stats = merge_parts(
        [shards[i * per_part:(i + 1) * per_part] for i in range(parts)],
        snakemake.input.stats,
        snakemake.input.rejected,
        shard_paths=snakemake.output.shards,
        stats_path=snakemake.output.stats,
        rejected_path=snakemake.output.rejected,
    )
    print(f"{parts} parts merged: {stats['documents']}", file=log)
