# Rule glue for dedup_signatures: one shard -> its signatures (exact keys, MinHash).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import dedup
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    n = dedup.compute_signatures(snakemake.input[0], snakemake.output[0], dedup.Settings.from_dict(snakemake.params.settings))
    print(f"{n} signatures", file=log)
