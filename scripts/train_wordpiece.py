# Rule glue for train_wordpiece: the sentences corpus -> a WordPiece tokenizer
# directory and its held-out report, see smie/vocab.py.
import json
import os
import sys
from pathlib import Path

# tokenizers trains on a rayon thread pool sized when first used: give it the
# job's threads, not every core of the node.
os.environ["RAYON_NUM_THREADS"] = str(snakemake.threads)

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import vocab
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    settings = dict(snakemake.params.settings)
    heldout = settings.pop("heldout")
    out_dir = Path(snakemake.output.vocab).parent
    report = vocab.build_wordpiece(snakemake.input, out_dir, vocab.WordPieceSettings.from_dict(settings), heldout=heldout)
    report = {"name": snakemake.wildcards.name, **report}
    Path(snakemake.output.report).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report), file=log)
