"""BERT pretraining throughput: smie's training loop beside a plain transformers Trainer.

    .venv/bin/python bench/bert_throughput.py [--sizes tiny base] [--seq 128] [--batch 32]
        [--micro 32] [--steps 12] [--warmup 2] [--device cpu|cuda] [--threads 2]

Both train the same BertForPreTraining (MLM + NSP, SDPA attention, a 30,000-piece
vocabulary) on the same sequences (full-length [CLS] A [SEP] B [SEP], random
ids: throughput does not depend on the text) with the same batch, AdamW and
learning-rate schedule, each in a fresh process:

- smie: scripts/pretrain_bert.py exactly as the pretrain_bert rule runs it
  (masking on the device, MLM head on the masked positions only, bf16 autocast
  and fused AdamW on GPU);
- Trainer: transformers' Trainer with DataCollatorForLanguageModeling
  (mlm_probability 0.15), the model's own loss, bf16 and fused AdamW on GPU.

Sequences/s counts the steps after ``--warmup`` (start-up, first-step
allocation). On GPU, smie's log also gives MFU (model FLOPs at 989 TFLOP/s bf16
peak); the Trainer's MFU is computed with the same FLOP count.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

SIZES = {
    "tiny": {"hidden": 128, "layers": 2, "heads": 2, "intermediate": 512},
    "base": {"hidden": 768, "layers": 12, "heads": 12, "intermediate": 3072},
    "large": {"hidden": 1024, "layers": 24, "heads": 16, "intermediate": 4096},
}
VOCAB_SIZE = 30000
PEAK_TFLOPS = 989.0


def make_tokenizer(out: Path) -> None:
    """A 30,000-entry WordPiece vocabulary (specials, 100 unused, then made-up pieces)."""
    from smie import vocab

    tokens = vocab.SPECIAL_TOKENS + [f"[unused{i}]" for i in range(100)]
    tokens += [f"w{i}" for i in range(VOCAB_SIZE - len(tokens))]
    settings = vocab.WordPieceSettings(size=VOCAB_SIZE)
    vocab.save_wordpiece(vocab.build_tokenizer({t: i for i, t in enumerate(tokens)}, settings), settings, out)


def make_data(out: Path, n: int, seq: int, seed: int = 0) -> Path:
    """n sequences [CLS] A [SEP] B [SEP] of random regular ids, and their index."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(105, VOCAB_SIZE, size=(n, seq)).astype(np.uint16)
    cut = rng.integers(8, seq - 8, size=n)
    ids[:, 0] = 2  # [CLS]
    ids[np.arange(n), cut] = 3  # [SEP]
    ids[:, -1] = 3
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "0000.ids.npy", ids)
    np.save(out / "0000.nsp.npy", rng.integers(0, 2, size=n).astype(np.int8))
    (out / "index.json").write_text(json.dumps({"ids": ["0000.ids.npy"], "nsp": ["0000.nsp.npy"]}))
    return out / "index.json"


def environment(args) -> dict:
    """--device cpu hides any GPU from both runs."""
    return {**os.environ, **({"CUDA_VISIBLE_DEVICES": ""} if args.device == "cpu" else {})}


def run_smie(tmp: Path, size: str, args) -> dict:
    settings = {
        "model": size, "settings": {"vocab": "bench", "size": size}, "size": SIZES[size], "phase": 1,
        "phase_settings": {"seq_length": args.seq, "steps": args.warmup + args.steps, "batch_size": args.batch,
                           "micro_batch": args.micro, "lr": 1e-4, "warmup": 0.01},
    }
    job = {
        "runtime": {"log_every": args.warmup, "checkpoint_every": 10**9}, "data": str(tmp / "data/index.json"),
        "tokenizer": str(tmp / "tokenizer"), "init": None, "out": str(tmp / f"smie-{size}"),
        "checkpoints": str(tmp / f"ck-{size}"), "threads": args.threads,
    }
    subprocess.run([sys.executable, str(REPO / "scripts/pretrain_bert.py"), "--settings", json.dumps(settings),
                    "--job", json.dumps(job)],
                   check=True, env=environment(args), stderr=subprocess.DEVNULL)
    log = [json.loads(line) for line in (tmp / f"smie-{size}/training.jsonl").read_text().splitlines()]
    timed = [r for r in log if r["step"] > args.warmup]
    seconds = sum(args.warmup * args.batch / r["sequences_per_s"] for r in timed)
    out = {"sequences_per_s": len(timed) * args.warmup * args.batch / seconds}
    if "mfu" in timed[0]:
        out["mfu"] = float(np.mean([r["mfu"] for r in timed]))
    return out


def trainer_worker(tmp: Path, size: str, args) -> None:
    """The plain transformers Trainer run (in its own process); prints its timing as JSON."""
    import torch
    from transformers import (BertForPreTraining, DataCollatorForLanguageModeling, PreTrainedTokenizerFast,
                              Trainer, TrainerCallback, TrainingArguments)

    from smie.bert.model import Size, training_flops

    torch.set_num_threads(args.threads)
    tokenizer = PreTrainedTokenizerFast.from_pretrained(tmp / "tokenizer")
    config = Size(**SIZES[size]).bert_config(VOCAB_SIZE, 0)
    torch.manual_seed(0)
    model = BertForPreTraining._from_config(config, attn_implementation="sdpa")
    ids = np.load(tmp / "data/0000.ids.npy").astype(np.int64)
    nsp = np.load(tmp / "data/0000.nsp.npy").astype(np.int64)
    sep_seen = np.cumsum(ids == 3, axis=1) - (ids == 3)
    types = (sep_seen >= 1).astype(np.int64)
    rows = [{"input_ids": ids[i], "token_type_ids": types[i], "attention_mask": np.ones_like(ids[i]),
             "next_sentence_label": nsp[i]} for i in range(len(ids))]

    class Clock(TrainerCallback):
        times: dict[int, float] = {}

        def on_step_end(self, targs, state, control, **kw):
            if torch.cuda.is_available():
                torch.cuda.synchronize()
            self.times[state.global_step] = time.perf_counter()

    cuda = args.device == "cuda"
    targs = TrainingArguments(
        output_dir=str(tmp / f"trainer-{size}"), per_device_train_batch_size=args.micro,
        gradient_accumulation_steps=args.batch // args.micro, max_steps=args.warmup + args.steps,
        learning_rate=1e-4, warmup_steps=1, weight_decay=0.01, bf16=cuda,
        optim="adamw_torch_fused" if cuda else "adamw_torch", logging_steps=10**9, save_strategy="no",
        report_to=[], dataloader_num_workers=0, use_cpu=not cuda, seed=0, disable_tqdm=True)
    clock = Clock()
    trainer = Trainer(model=model, args=targs, train_dataset=rows, callbacks=[clock],
                      data_collator=DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15))
    trainer.train()
    t = clock.times
    rate = args.steps * args.batch / (t[args.warmup + args.steps] - t[args.warmup])
    result = {"sequences_per_s": rate}
    if cuda:
        flops = training_flops(config, args.seq, 0.15 * (args.seq - 3)) * rate
        result["mfu"] = flops / (PEAK_TFLOPS * 1e12)
    print("RESULT " + json.dumps(result))


def run_trainer(tmp: Path, size: str, args) -> dict:
    cmd = [sys.executable, __file__, "--trainer-worker", str(tmp), "--sizes", size, "--seq", str(args.seq),
           "--batch", str(args.batch), "--micro", str(args.micro), "--steps", str(args.steps),
           "--warmup", str(args.warmup), "--device", args.device, "--threads", str(args.threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=environment(args))
    if proc.returncode:
        raise SystemExit(f"the Trainer run failed:\n{proc.stderr[-3000:]}")
    out = proc.stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["tiny", "base"], choices=sorted(SIZES))
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--batch", type=int, default=32, help="sequences per optimizer step")
    parser.add_argument("--micro", type=int, default=32, help="sequences per forward pass")
    parser.add_argument("--steps", type=int, default=12, help="timed optimizer steps")
    parser.add_argument("--warmup", type=int, default=2, help="untimed first steps")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--trainer-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.steps % args.warmup:
        parser.error("--steps must be a multiple of --warmup (smie logs every --warmup steps)")
    if args.trainer_worker:
        trainer_worker(args.trainer_worker, args.sizes[0], args)
        return

    print("| size | seq | batch (micro) | device | smie seq/s | Trainer seq/s | smie/Trainer | smie MFU | Trainer MFU |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_tokenizer(tmp / "tokenizer")
        make_data(tmp / "data", (args.warmup + args.steps) * args.batch, args.seq)
        for size in args.sizes:
            smie, trainer = run_smie(tmp, size, args), run_trainer(tmp, size, args)
            mfu = lambda r: f"{100 * r['mfu']:.1f}%" if "mfu" in r else "-"  # noqa: E731
            print(f"| {size} | {args.seq} | {args.batch} ({args.micro}) | {args.device} | "
                  f"{smie['sequences_per_s']:.1f} | {trainer['sequences_per_s']:.1f} | "
                  f"{smie['sequences_per_s'] / trainer['sequences_per_s']:.2f}x | {mfu(smie)} | {mfu(trainer)} |",
                  flush=True)
    print(f"\nCommand: .venv/bin/python bench/bert_throughput.py {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
