"""Scale on paper: core-hours and wall time of a NorBERT-sized run on N cores and G GPUs.

Every CPU figure is read from the tables of bench/README.md (the script fails if one
is missing), so the projection follows the measurements when they are redone. The
BERT GPU-hours are an estimate from the FLOP count (smie.bert.model.training_flops) of
the model in config.yaml at an assumed model FLOP utilisation, until a GPU is measured.

    .venv/bin/python bench/project_cluster.py                       # 1.9 billion words
    .venv/bin/python bench/project_cluster.py --cores 128 512 --gpus 4 8 --mfu 0.4

Model of the run, stated so that it can be argued with:

- every stage reads the whole corpus (filtering drops are ignored: an upper bound);
- a per-shard stage on N cores takes its core-hours / N (shards outnumber cores), plus
  Snakemake's start-up per job (the figure of an invocation with nothing to do);
- a one-job step (dedup_find, a WordPiece vocabulary, a source's extract) runs on one
  core: extract is counted as if the whole corpus were one source, at the slower
  reader's rate (an upper bound: sources are extracted side by side);
- stages run one after another (an upper bound: per-shard stages overlap in practice);
- G GPUs train G times faster than one (torchrun data parallel; not measured).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BENCH_README = REPO / "bench" / "README.md"
H200_BF16_TFLOPS = 989.0  # dense bf16 peak of one H200 (NVIDIA's data sheet)


def markdown_tables(text: str) -> list[list[dict[str, str]]]:
    """Every pipe table of a Markdown text, as lists of {header: cell} rows."""
    tables, block = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            block.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif block:
            header, rows = block[0], [r for r in block[1:] if not set("".join(r)) <= set("-: ")]
            tables.append([dict(zip(header, row)) for row in rows])
            block = []
    return tables


def figure(tables, column: str, **match: str) -> float:
    """The number in `column` of the one row whose cells equal `match` (keys: headers, `_` for space)."""
    match = {k.replace("_", " "): v for k, v in match.items()}
    found = [row for table in tables for row in table
             if column in row and all(row.get(k) == v for k, v in match.items())]
    if len(found) != 1:
        sys.exit(f"bench/README.md: expected one row {match} with column {column!r}, found {len(found)}")
    return float(found[0][column].replace(",", ""))


@dataclass
class Stage:
    name: str
    rate: float  # words per core-second
    source: str  # where in bench/README the rate comes from
    per_shard: bool  # one job per shard (parallel) or one job


def stages(readme: str) -> tuple[list[Stage], float]:
    """The CPU stages with their bench/README figures, and Snakemake's start-up seconds per job."""
    t = markdown_tables(readme)
    corpus = lambda step: figure(t, "words/s, 1 job", input_MB="200", step=step)  # noqa: E731
    result = [
        Stage("extract (wikipedia reader)", figure(t, "words/s", reader="wikipedia", **{"input MB (uncompressed)": "31.6"}),
              "extract: throughput, wikipedia 31.6 MB", per_shard=False),
        Stage("clean", corpus("clean"), "corpus stages, 200 MB, 1 job", per_shard=True),
        Stage("langid", figure(t, "the langid step on a shard of document groups",
                               system="polyglot + discriminator (config.yaml: confusable nb nn da sv)"),
              "langid: accuracy and speed, the step with the discriminator", per_shard=True),
        Stage("dedup_signatures", corpus("dedup_signatures"), "corpus stages, 200 MB, 1 job", per_shard=True),
        Stage("dedup_find", corpus("dedup_find"), "corpus stages, 200 MB, 1 job", per_shard=False),
        Stage("dedup_shard", corpus("dedup_shard"), "corpus stages, 200 MB, 1 job", per_shard=True),
        Stage("udpipe", figure(t, "words/s", run="smie udpipe_shard, threads 1"),
              "udpipe: stage throughput, threads 1", per_shard=True),
        Stage("WordPiece 30k (one vocabulary)", figure(t, "words/CPU-s", step="WordPiece 30k cased", MB_of_text="50.0"),
              "vocab: training speed, 50 MB", per_shard=False),
        Stage("ELMo word counts (one vocabulary)", figure(t, "words/CPU-s", step="ELMo word counts", MB_of_text="50.0"),
              "vocab: training speed, 50 MB", per_shard=True),
    ]
    startup = re.search(r"nothing to do takes [\d.]+-([\d.]+)\s+s", readme)
    if not startup:
        sys.exit("bench/README.md: Snakemake's start-up figure ('nothing to do takes A-B s') is missing")
    return result, float(startup[1])


def bert_flops(config: dict, schema: dict, model: str) -> tuple[float, list[str]]:
    """Training FLOPs of every phase of a configured BERT model, and how they were counted."""
    from transformers import BertConfig

    from smie.bert.model import training_flops

    settings = config["bert"]["models"][model]
    sizes = {**schema["properties"]["bert"]["properties"]["sizes"]["default"], **config["bert"].get("sizes", {})}
    size = sizes[settings["size"]]
    vocab = config["vocab"]["wordpiece"][settings["vocab"]]["size"]
    mask_prob = settings.get("mask_prob", 0.15)
    bert = BertConfig(vocab_size=vocab, hidden_size=size["hidden"], num_hidden_layers=size["layers"],
                      num_attention_heads=size["heads"], intermediate_size=size["intermediate"])
    total, notes = 0.0, []
    for i, phase in enumerate(settings["phases"], 1):
        sequences = phase["steps"] * phase["batch_size"]
        per_sequence = training_flops(bert, phase["seq_length"], mask_prob * phase["seq_length"])
        total += sequences * per_sequence
        notes.append(f"phase {i}: {phase['steps']:,} steps x {phase['batch_size']} sequences of "
                     f"{phase['seq_length']} = {sequences * per_sequence:.3g} FLOPs")
    return total, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=float, default=1.9e9, help="corpus size in words (NorBERT's: about 1.9 billion)")
    parser.add_argument("--shards", type=int, default=3000, help="per-shard jobs per stage (1,000 per large source)")
    parser.add_argument("--cores", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--gpus", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--model", default="norbert-base", help="the BERT model of config.yaml to estimate")
    parser.add_argument("--mfu", type=float, default=0.40, help="assumed model FLOP utilisation")
    parser.add_argument("--peak-tflops", type=float, default=H200_BF16_TFLOPS, help="one GPU's bf16 peak")
    args = parser.parse_args()

    cpu, startup = stages(BENCH_README.read_text(encoding="utf-8"))
    print(f"Corpus of {args.words / 1e9:.2f} billion words; {args.shards:,} jobs per per-shard stage; "
          f"Snakemake start-up {startup} s per job (bench/README.md).\n")
    header = ["stage", "words/core-s (bench/README)", "core-hours"] + [f"wall h, {n} cores" for n in args.cores]
    print("| " + " | ".join(header) + " |")
    print("|---|---:|---:|" + "---:|" * len(args.cores))
    total_core_h, total_wall = 0.0, [0.0] * len(args.cores)
    for s in cpu:
        jobs = args.shards if s.per_shard else 1
        core_s = args.words / s.rate + jobs * startup
        walls = [(core_s / min(n, jobs)) / 3600 for n in args.cores]
        total_core_h += core_s / 3600
        total_wall = [a + b for a, b in zip(total_wall, walls)]
        print(f"| {s.name} | {s.rate:,.0f} | {core_s / 3600:,.1f} | " + " | ".join(f"{w:,.2f}" for w in walls) + " |")
    print("| bert_data | not measured | | " + " | ".join("" for _ in args.cores) + " |")
    print(f"| **CPU stages** | | **{total_core_h:,.1f}** | " + " | ".join(f"**{w:,.2f}**" for w in total_wall) + " |")

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    schema = yaml.safe_load((REPO / "schemas" / "config.schema.yaml").read_text())
    sys.path.insert(0, str(REPO))
    flops, notes = bert_flops(config, schema, args.model)
    gpu_h = flops / (args.mfu * args.peak_tflops * 1e12) / 3600
    print(f"\nBERT {args.model} (ESTIMATE, not measured): {flops:.3g} training FLOPs "
          f"({'; '.join(notes)}), at {args.mfu:.0%} MFU of {args.peak_tflops:g} TFLOP/s per GPU:\n")
    print("| GPUs | GPU-hours | wall h | wall days |")
    print("|---:|---:|---:|---:|")
    for g in args.gpus:
        print(f"| {g} | {gpu_h:,.1f} | {gpu_h / g:,.1f} | {gpu_h / g / 24:,.2f} |")


if __name__ == "__main__":
    main()
