# Rule glue for evaluate_model: one model on one task with one seed, a BERT
# fine-tuned (smie/evaluate/bert.py) or a frozen ELMo under a trained tagger or
# classifier (smie/evaluate/elmo.py); the record feeds the results table.
# Fine-grained sentiment is tagging too: opinions as word tags (smie/evaluate/opinion_tags.py).
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

import torch

from smie.evaluate import bert, elmo
from smie.evaluate.data import read_task_file
from smie.evaluate.opinion_tags import encode, graph_scorer
from smie.rules import rule_log
from smie.settings import from_config

TRAINERS = {  # kind -> settings, tagger, classifier
    "bert": (bert.FineTuning, bert.finetune_tagger, bert.finetune_classifier),
    "elmo": (elmo.Probing, elmo.train_tagger, elmo.train_classifier),
}

with rule_log(snakemake.log[0]) as log:
    torch.set_num_threads(snakemake.threads)
    params, w = snakemake.params.settings, snakemake.wildcards
    task, kind, model_dir = params["task"], params["kind"], params["model_dir"]
    settings_type, tagger, classifier = TRAINERS[kind]
    settings = from_config(settings_type, params["settings"], f"evaluate.{kind}")
    splits = [snakemake.input.train, snakemake.input.dev, snakemake.input.test]
    seed = int(w.seed)
    train, dev, test = (read_task_file(p, task) for p in splits)
    if task["kind"] == "pos":
        result = tagger(model_dir, train, dev, test, settings, seed, log)
        metric = "UPOS accuracy"
    elif task["kind"] == "fine":
        tagged = [[encode(s) for s in part] for part in (train, dev, test)]
        result = tagger(model_dir, *tagged, settings, seed, log, scorer=graph_scorer(dev + test))
        metric = "Sentiment Graph F1"
    else:
        result = classifier(model_dir, train, dev, test, tuple(task["labels"]), settings, seed, log)
        metric = "macro F1"
    record = {"task": w.task, "model": w.model, "kind": kind, "seed": seed, "metric": metric, "dev": result.dev,
              "test": result.test, "best_epoch": result.best_epoch, "minutes": result.minutes}
    Path(snakemake.output[0]).write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record), file=log)
