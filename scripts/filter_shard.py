# Rule glue for the per-shard filtering stages (clean_shard, langid_shard,
# dedup_shard): the stage's step over one shard, see smie/shard_filter.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.rules import rule_log
from smie.shard_filter import filter_shard


def make_step(stage, params):
    if stage == "clean":
        from smie import clean

        return clean.make_step(clean.Settings.from_dict(params.settings))
    if stage == "langid":
        from smie import langid

        return langid.make_step(langid.Settings.from_dict(params.settings), snakemake.input.get("discriminator"))
    if stage == "dedup":
        from smie import dedup

        return dedup.make_filter_step(snakemake.input.duplicates)
    raise ValueError(f"no step for stage {stage!r}")


with rule_log(snakemake.log[0]) as log:
    stage = snakemake.params.stage
    step = make_step(stage, snakemake.params)
    source = snakemake.wildcards.source
    docs = snakemake.input.docs if stage in ("langid", "dedup") else snakemake.input[0]
    # langid: the language distribution of everything the shard saw, kept or dropped
    extra = (lambda: {"languages": {"documents": dict(step.counts), "words": dict(step.words)}}) if stage == "langid" else None
    stats = filter_shard(docs, snakemake.output.docs, snakemake.output.stats, snakemake.output.dropped,
                         stage=stage, source=source, step=step, audit=snakemake.params.audit, extra=extra)
    print(stats.to_dict(), file=log)
