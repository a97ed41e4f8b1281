# Rule glue for the training-curve plots: training.jsonl of each model -> one PNG.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.plots import loss_curves
from smie.rules import rule_log
from smie.training import read_log

with rule_log(snakemake.log[0]):
    logs = {name: read_log(path) for name, path in zip(snakemake.params.names, snakemake.input)}
    loss_curves(logs, snakemake.output[0], key=snakemake.params.key, label=snakemake.params.label)
