# Rule glue for udpipe_shard: one shard's documents -> aligned sentences, tokens,
# lemmas (and CoNLL-U) with each language's UDPipe model; see smie/udpipe.py.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.rules import rule_log
from smie.udpipe import annotate_shard

with rule_log(snakemake.log[0]) as log:
    outputs = {kind: path for kind, path in snakemake.output.items() if kind != "stats"}
    counts = annotate_shard(snakemake.input.docs, outputs, dict(snakemake.params.models),
                            source=snakemake.wildcards.source, threads=snakemake.threads)
    stats = counts.to_dict(snakemake.wildcards.source)
    Path(snakemake.output.stats).write_text(json.dumps(stats, indent=1, sort_keys=True) + "\n")
    print(stats, file=log)
