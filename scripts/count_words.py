# Rule glue for count_words: one shard of the tokens or lemmas corpus -> its
# token counts (sorted by token) and totals, see smie/vocab.py.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import vocab
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    counts, stats = vocab.count_words(snakemake.input[0])
    vocab.write_counts(counts, snakemake.output.counts)
    Path(snakemake.output.stats).write_text(json.dumps(stats, indent=2) + "\n")
    print(stats, file=log)
