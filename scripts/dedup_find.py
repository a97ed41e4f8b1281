# Rule glue for dedup_find: all signatures -> the list of duplicates to drop.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import dedup
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    settings = dict(snakemake.params.settings)
    priority = settings.pop("source_priority")
    counts = dedup.find_duplicates(snakemake.input, snakemake.output[0], dedup.Settings.from_dict(settings),
                                   source_priority=priority)
    print(counts, file=log)
