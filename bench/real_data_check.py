"""Does pretraining help? A tiny BERT and a tiny ELMo pretrained through the DAG on real
Norwegian text, against randomly initialised ones of the same architectures, on real
evaluation data.

    .venv/bin/python bench/real_data_check.py [--steps 1500] [--elmo-epochs 3] [--seeds 1 2 3] [--workdir DIR]

Pretraining text (needs the shared data directory): the NDT Bokmål training
documents and the NoReC_fine training reviews, one plain-text file per document,
read by a `text` source and taken through the whole DAG (clean, langid, dedup,
udpipe with the demo's UDPipe models, an 8k cased WordPiece and an 8k ELMo word
vocabulary, the tiny BERT and the tiny ELMo).
Never the evaluation sentences: the UD dev split is NDT's dev part, and the
sentiment dev sentences come from NoReC_fine's dev part.

Evaluation (the evaluate stage, its own rules): PoS on UD Bokmål dev, split in
order into 1,600 sentences to train on, 400 to choose the epoch and the rest to
score; binary sentiment trained on NoReC sentence train, its dev split in two
halves (epoch choice, score); fine-grained sentiment trained on NoReC_fine train,
its dev split in two halves between reviews. The random models are the pretrained ones'
architectures with fresh weights (seed 0; the BERT keeps its tokenizer, the ELMo its
options and vocabulary), given as baselines. BERTs are fine-tuned, ELMos frozen.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_text import REPO, detokenize, ndt_documents, require_shared_data  # noqa: E402

from smie.config import with_absolute_paths  # noqa: E402


def write_corpus(data: Path, folder: Path) -> dict:
    folder.mkdir(parents=True)
    docs = {f"ndt-{k}": [detokenize(s) for s in v] for k, v in ndt_documents(data / "norne/ndt/nob/train").items()}
    for item in json.loads((data / "norec_fine/train.json").read_text(encoding="utf-8")):
        docs.setdefault(f"norec-{item['sent_id'].split('-')[0]}", []).append(detokenize(item["text"].split(" ")))
    words = 0
    for name, sentences in docs.items():
        (folder / f"{name}.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        words += sum(len(s.split()) for s in sentences)
    return {"documents": len(docs), "words": words}


def write_eval(data: Path, folder: Path) -> dict:
    """Evaluation files as the evaluate stage's tasks want them; returns the tasks' config."""
    folder.mkdir(parents=True)
    blocks = (data / "UD_Norwegian-Bokmaal/no_bokmaal-ud-dev.conllu").read_text(encoding="utf-8").strip().split("\n\n")
    for split, part in (("train", blocks[:1600]), ("dev", blocks[1600:2000]), ("test", blocks[2000:])):
        (folder / f"ud-nb-{split}.conllu").write_text("\n\n".join(part) + "\n\n", encoding="utf-8")
    dev = json.loads((data / "norec_sentence/binary/dev.json").read_text(encoding="utf-8"))
    half = len(dev) // 2
    for split, items in (("dev", dev[:half]), ("test", dev[half:])):
        (folder / f"norec-binary-{split}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    train = data / "norec_sentence/binary/train.json"
    fine = json.loads((data / "norec_fine/dev.json").read_text(encoding="utf-8"))
    half = len(fine) // 2
    while fine[half]["sent_id"].split("-")[0] == fine[half - 1]["sent_id"].split("-")[0]:
        half += 1  # a review's sentences stay on one side
    for split, items in (("dev", fine[:half]), ("test", fine[half:])):
        (folder / f"norec-fine-{split}.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    fine_train = data / "norec_fine/train.json"
    return {
        "pos-ud-nb-dev": {"kind": "pos", **{s: {"url": (folder / f"ud-nb-{s}.conllu").as_uri()}
                                            for s in ("train", "dev", "test")}},
        "sentiment-binary": {"kind": "sentiment", "labels": ["Negative", "Positive"], "train": {"url": train.as_uri()},
                             **{s: {"url": (folder / f"norec-binary-{s}.json").as_uri()} for s in ("dev", "test")}},
        "norec-fine": {"kind": "fine", "train": {"url": fine_train.as_uri()},
                       **{s: {"url": (folder / f"norec-fine-{s}.json").as_uri()} for s in ("dev", "test")}},
    }


def random_bert(trained: Path, out: Path) -> None:
    """The trained BERT's architecture and tokenizer with freshly initialised weights."""
    import shutil

    import torch
    from transformers import BertConfig, BertForPreTraining

    torch.manual_seed(0)
    BertForPreTraining(BertConfig.from_pretrained(trained)).save_pretrained(out)
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(trained / name, out / name)


def random_elmo(trained: Path, out: Path) -> None:
    """The trained ELMo's architecture (options.json) with freshly initialised weights."""
    import torch

    from smie.elmo.export import export, size_from_options
    from smie.elmo.model import BiLM

    torch.manual_seed(0)
    options = trained / "options.json"
    export(BiLM(size_from_options(json.loads(options.read_text()), options)), trained / "vocab.txt", out)


def snakemake(config: Path, workdir: Path, *targets: str) -> None:
    cmd = [sys.executable, "-m", "snakemake", *targets, "--snakefile", str(REPO / "Snakefile"),
           "--configfile", str(config), "--directory", str(workdir), "--cores", "2"]
    with open(workdir.parent / "snakemake.log", "a") as log:
        subprocess.run(cmd, check=True, stdout=log, stderr=subprocess.STDOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1500, help="pretraining steps of 32 sequences of 128")
    parser.add_argument("--elmo-epochs", type=float, default=3, help="epochs of the tiny ELMo over the text")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--workdir", type=Path, help="keep the run here (default: a temporary directory)")
    args = parser.parse_args()
    data = require_shared_data()

    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        corpus = write_corpus(data, work / "corpus")
        # written elsewhere, the demo config keeps meaning its own files
        config = with_absolute_paths(yaml.safe_load((REPO / "demo/config.yaml").read_text()), REPO / "demo")
        config["sources"] = {"real": {"kind": "text", "lang": "nb", "shards": 2, "path": str(work / "corpus")}}
        config["vocab"] = {"heldout": 0.01, "wordpiece": {"real-8k": {"size": 8000}},
                           "elmo": {"real-tokens-8k": {"corpus": "tokens", "size": 8000}}}
        config["bert"] = {"models": {"tiny-real": {
            "vocab": "real-8k", "size": "tiny", "checkpoint_every": 500, "log_every": 50,
            "phases": [{"seq_length": 128, "steps": args.steps, "batch_size": 32, "micro_batch": 32, "lr": 1e-3,
                        "warmup": 0.05}],
            "resources": {"gpu": 0, "cpus_per_gpu": 2, "mem_mb": 4000, "runtime": 120}}}}
        config["elmo"] = {"models": {"elmo-tiny-real": {
            "vocab": "real-tokens-8k", "size": "tiny", "batch_size": 64, "epochs": args.elmo_epochs,
            "softmax_cutoffs": [2000], "optimizer": "adamw", "lr": 1e-2, "heldout": 0.01, "checkpoint_every": 500,
            "log_every": 50, "eval_every": 500, "resources": {"gpu": 0, "cpus_per_gpu": 2, "mem_mb": 4000,
                                                              "runtime": 120}}}}
        config["evaluate"] = {"seeds": args.seeds, "bert": {"epochs": 3, "batch_size": 32, "lr": 1e-3},
                              "elmo": {"epochs": 10, "batch_size": 32, "lr": 1e-3},
                              "resources": {"gpu": 0, "cpus_per_gpu": 1, "mem_mb": 4000, "runtime": 60},
                              "tasks": write_eval(data, work / "eval")}
        path = work / "config.yaml"
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        snakemake(path, work / "run", "bert", "elmo")
        trained = work / "run/results/bert/tiny-real/phase1"
        elmo = work / "run/results/elmo/elmo-tiny-real"
        random_bert(trained, work / "tiny-random")
        random_elmo(elmo, work / "elmo-tiny-random")
        config["evaluate"]["baselines"] = {"tiny-random": {"kind": "bert", "path": str(work / "tiny-random")},
                                           "elmo-tiny-random": {"kind": "elmo", "path": str(work / "elmo-tiny-random")}}
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        snakemake(path, work / "run", "results_table")

        log = [json.loads(line) for line in (trained / "training.jsonl").read_text().splitlines()]
        ppl = [r["heldout_ppl"] for r in map(json.loads, (elmo / "training.jsonl").read_text().splitlines())
               if "heldout_ppl" in r]
        index = json.loads((work / "run/results/bert/data/real-8k/seq128-nsp/index.json").read_text())
        print(f"Pretraining text: {corpus['documents']:,} documents, {corpus['words']:,} words; "
              f"{index['sequences']:,} sequences of 128 after the corpus stages. Tiny BERT, {args.steps} steps of 32: "
              f"MLM loss {log[0]['mlm_loss']:.2f} -> {log[-1]['mlm_loss']:.2f}. Tiny ELMo, {args.elmo_epochs} epochs: "
              f"held-out perplexity {ppl[0]:.0f} -> {ppl[-1]:.0f}.\n")
        print((work / "run/results/tables/results.md").read_text())
        print(f"Command: .venv/bin/python bench/real_data_check.py {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
