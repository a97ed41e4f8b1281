# Rule glue for bert_data_index: the list of a data set's shards (what
# pretraining reads) and their summed statistics.
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.bert.data import read_stats
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    stats = read_stats(snakemake.input.stats)
    totals = {k: sum(s[k] for s in stats) for k in ("documents", "sentences", "sequences", "tokens", "random_next")}
    # paths relative to the index, so that it does not depend on the working directory
    here = os.path.dirname(snakemake.output[0])
    index = {kind: [os.path.relpath(p, here) for p in snakemake.input[kind]] for kind in ("ids", "nsp")}
    index.update(totals)
    Path(snakemake.output[0]).write_text(json.dumps(index, indent=1) + "\n")
