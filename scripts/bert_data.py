# Rule glue for bert_data: one shard of the sentences corpus -> fixed-length
# token-id sequences for one phase's length, see smie/bert/data.py.
import json
import os
import sys
from pathlib import Path

# the tokenizer's encode_batch threads: the job's, not every core of the node
os.environ["RAYON_NUM_THREADS"] = str(snakemake.threads)

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from tokenizers import Tokenizer

from smie.bert.data import DataSettings, write_shard
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    w = snakemake.wildcards
    tokenizer = Tokenizer.from_file(snakemake.input.tokenizer)
    stats = write_shard(snakemake.input.sentences, tokenizer, int(w.length), w.task == "nsp",
                        DataSettings.from_dict(snakemake.params.settings),
                        snakemake.output.ids, snakemake.output.nsp, name=f"{w.source}/{w.shard}")
    Path(snakemake.output.stats).write_text(json.dumps(stats, indent=2) + "\n")
    print(json.dumps(stats), file=log)
