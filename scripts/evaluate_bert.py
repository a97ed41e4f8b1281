# Rule glue for evaluate_bert: fine-tune one BERT on one task with one seed, see
# smie/evaluate/bert.py; the record feeds the results table.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

import torch

from smie.evaluate import bert
from smie.evaluate.data import read_conllu_upos, read_sentiment
from smie.rules import rule_log
from smie.settings import from_config

with rule_log(snakemake.log[0]) as log:
    torch.set_num_threads(snakemake.threads)
    task, w = snakemake.params.task, snakemake.wildcards
    settings = from_config(bert.FineTuning, snakemake.params.settings, "evaluate.bert")
    splits = [snakemake.input.train, snakemake.input.dev, snakemake.input.test]
    seed = int(w.seed)
    if task["kind"] == "pos":
        result = bert.finetune_tagger(snakemake.params.model_dir, *map(read_conllu_upos, splits), settings, seed, log)
        metric = "UPOS accuracy"
    else:
        labels = tuple(task["labels"])
        data = [read_sentiment(p, labels) for p in splits]
        result = bert.finetune_classifier(snakemake.params.model_dir, *data, labels, settings, seed, log)
        metric = "macro F1"
    record = {"task": w.task, "model": w.model, "seed": seed, "metric": metric, "dev": result.dev,
              "test": result.test, "best_epoch": result.best_epoch, "minutes": result.minutes}
    Path(snakemake.output[0]).write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record), file=log)
