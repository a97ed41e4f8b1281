# Rule glue for train_udpipe: a treebank -> a UDPipe model; see smie/udpipe.py.
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.rules import rule_log
from smie.udpipe import read_treebank, train_model

spec = snakemake.params.spec
with rule_log(snakemake.log[0]) as log:
    train = read_treebank(snakemake.input.train, spec["format"])
    heldout = read_treebank(snakemake.input.heldout, spec["format"]) if snakemake.input.heldout else None
    print(f"training on {len(train)} sentences from {list(snakemake.input.train)}", file=log, flush=True)
    # UDPipe reports training progress on the C stderr: send it to the log too
    saved = os.dup(2)
    os.dup2(log.fileno(), 2)
    try:
        model = train_model(train, heldout, spec["tokenizer"], spec["tagger"], spec["parser"])
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    Path(snakemake.output[0]).write_bytes(model)
