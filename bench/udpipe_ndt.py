"""What rule train_udpipe makes of the real NDT training data, measured on UD dev.

For Bokmål and Nynorsk: the NDT train files (``norne/ndt/{nob,nno}/train``,
CoNLL-X, the exact sentences of the UD train split) are concatenated into one
treebank per language in a work directory, and the workflow's own
``train_udpipe`` rule trains a model on each (``format: conllx``), through
Snakemake. Each model is then scored on the UD dev split of its language with
UDPipe's Evaluator, from raw text (as the udpipe stage uses it): tokens,
sentences, lemmas. UPOS is not reported: NDT's tags are not UPOS. The demo's
models (trained on demo/treebank) are scored the same way, for scale.

    .venv/bin/python bench/udpipe_ndt.py [--workdir /tmp/smie-udpipe-ndt] [--tokenizer ...] [--tagger ...]

Needs the shared data directory (SMIE_SHARED_DATA, default ../shared/data).
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ufal import udpipe  # noqa: E402

from real_text import require_shared_data  # noqa: E402
from smie.config import with_absolute_paths  # noqa: E402
from smie.udpipe import load_model  # noqa: E402

LANGS = {"nb": ("nob", "UD_Norwegian-Bokmaal/no_bokmaal-ud-dev.conllu"),
         "nn": ("nno", "UD_Norwegian-Nynorsk/no_nynorsk-ud-dev.conllu")}
REPORT = re.compile(r"(Tokenizer words|Tokenizer sentences) - .*f1: ([\d.]+)%")
LEMMAS = re.compile(r"lemmas: ([\d.]+)%")


def evaluate(model_path: Path, gold: Path) -> dict:
    """UDPipe's own evaluation from raw text: tokens, sentences and lemma F1 (%)."""
    model = load_model(model_path)  # kept referenced: the Evaluator does not own it
    evaluator = udpipe.Evaluator(model, udpipe.Evaluator.DEFAULT, udpipe.Evaluator.DEFAULT, udpipe.Evaluator.NONE)
    error = udpipe.ProcessingError()
    report = evaluator.evaluate(gold.read_text(encoding="utf-8"), error)
    if error.occurred():
        raise SystemExit(f"evaluation of {model_path} failed: {error.message}")
    scores = {name: float(f1) for name, f1 in REPORT.findall(report)}
    return {"tokens": scores["Tokenizer words"], "sentences": scores["Tokenizer sentences"],
            "lemmas": float(LEMMAS.search(report).group(1))}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/smie-udpipe-ndt"))
    parser.add_argument("--tokenizer", default="epochs=10", help="UDPipe tokenizer options for NDT")
    parser.add_argument("--tagger", default="models=1;iterations=6", help="UDPipe tagger options for NDT")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args(argv)
    data = require_shared_data()
    args.workdir.mkdir(parents=True, exist_ok=True)

    # written elsewhere, the demo config keeps meaning its own files
    config = with_absolute_paths(yaml.safe_load((REPO / "demo/config.yaml").read_text()), REPO / "demo")
    for lang, (code, _) in LANGS.items():
        treebank = args.workdir / f"ndt-{code}-train.conll"
        text = "".join(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
                       for path in sorted((data / f"norne/ndt/{code}/train").glob("*.conll")))
        if not treebank.exists() or treebank.read_text(encoding="utf-8") != text:
            treebank.write_text(text, encoding="utf-8")  # rewritten only if changed: no retraining
        config["udpipe"]["train"][f"ndt-{lang}"] = {
            "treebank": [str(treebank)], "format": "conllx",
            "tokenizer": args.tokenizer, "tagger": args.tagger,
        }
    config_path = args.workdir / "config.yaml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    names = [f"{kind}-{lang}" for kind in ("ndt", "demo") for lang in LANGS]
    targets = [f"results/udpipe/models/{name}.udpipe" for name in names]
    subprocess.run([str(REPO / ".venv/bin/snakemake"), *targets, "--configfile", str(config_path),
                    "--directory", str(args.workdir), "--cores", str(args.cores), "--snakefile",
                    str(REPO / "Snakefile"), "--quiet", "rules"], check=True)

    print(f"NDT options: tokenizer `{args.tokenizer}`, tagger `{args.tagger}`\n")
    print("| model | trained on | evaluated on | tokens F1 % | sentences F1 % | lemmas F1 % | training s | training CPU s |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for name in names:
        kind, lang = name.split("-")
        scores = evaluate(args.workdir / f"results/udpipe/models/{name}.udpipe", data / LANGS[lang][1])
        with open(args.workdir / f"benchmarks/udpipe/train/{name}.tsv") as f:
            bench = next(csv.DictReader(f, delimiter="\t"))
        source = f"NDT {LANGS[lang][0]} train" if kind == "ndt" else f"demo/treebank/{lang}.conllu"
        print(f"| {name} | {source} | UD {lang} dev | {scores['tokens']:.2f} | {scores['sentences']:.2f} | "
              f"{scores['lemmas']:.2f} | {float(bench['s']):,.0f} | {float(bench['cpu_time']):,.0f} |")


if __name__ == "__main__":
    main()
