# Rule glue for bert_card: a BERT export's facts -> its README.md (smie/cards.py).
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import cards, stats
from smie.documents import read_jsonl
from smie.evaluate.results import load_records
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    out = Path(snakemake.output[0])
    model_dir = out.parent
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    facts = {
        "settings": snakemake.params.settings,
        "config": config,
        "vocab_size": config["vocab_size"],
        "parameters": cards.parameter_count(model_dir / "model.safetensors"),
        "log": list(read_jsonl(model_dir / "training.jsonl")),
        "counts": cards.corpus_counts([stats.load(p) for p in snakemake.input.stats]),
        "scores": cards.scores(load_records(snakemake.input.scores)),
    }
    out.write_text(cards.bert_card(facts), encoding="utf-8")
