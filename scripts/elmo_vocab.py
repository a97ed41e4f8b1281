# Rule glue for elmo_vocab: the per-shard counts of one corpus -> an ELMo word
# vocabulary (<S>, </S>, <UNK>, top-N tokens) and stats.json with the token count.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import vocab
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    shard_stats = [json.loads(Path(p).read_text()) for p in snakemake.input.stats]
    settings = snakemake.params.settings
    lines, stats = vocab.elmo_vocab(snakemake.input.counts, shard_stats, settings["size"])
    stats = {"name": snakemake.wildcards.name, "corpus": settings["corpus"], **stats}
    Path(snakemake.output.vocab).write_text("".join(w + "\n" for w in lines), encoding="utf-8")
    Path(snakemake.output.stats).write_text(json.dumps(stats, indent=2) + "\n")
    print(stats, file=log)
