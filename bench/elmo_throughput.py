"""Training throughput of smie's ELMo: tokens per second of whole optimizer steps.

A step is what smie/elmo/train.py does per batch: character and word ids built from
the sentences, forward and backward of both directions, adaptive softmax, gradient
clipping, the optimizer step (Adagrad, as bilm-tf). Tokens are the sentences' words
(without <S> and </S>), the unit of the training log's ``tokens_per_s``.

Sentences: the NDT Bokmål training treebank (real Norwegian tokenization, from the
shared data directory; bench/real_text.py) or, without it, made-up sentences of
5-30 tokens. Batches are cut from the sentences sorted by length in buffers, as
training does, so padding is what training pads.

    .venv/bin/python bench/elmo_throughput.py --size tiny --batch 64 --threads 2
    .venv/bin/python bench/elmo_throughput.py --size norelmo --batch 192 --vocab 30000 --steps 3
    .venv/bin/python bench/elmo_throughput.py --size norelmo --batch 192 --vocab 30000 --device cuda

On CUDA the step runs under bf16 autocast, as training does.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from smie.elmo.data import Encoder, Vocabulary  # noqa: E402
from smie.elmo.model import LanguageModel, Size  # noqa: E402
from smie.elmo.train import ModelSettings, make_elmo_optimizer  # noqa: E402

SIZES = {
    "tiny": Size(char_dim=8, filters=((1, 16), (2, 16), (3, 32), (4, 32)), n_highway=1, cell_dim=128,
                 projection_dim=32),
    "norelmo": Size(cell_dim=2048),
    "elmo": Size(cell_dim=4096),
}


def sentences(n: int, seed: int = 0) -> tuple[list[list[str]], str]:
    try:
        from real_text import ndt_documents, require_shared_data

        data = require_shared_data()
        found = [list(s) for doc in ndt_documents(data / "norne/ndt/nob/train").values() for s in doc]
        return found[:n], "NDT Bokmål train"
    except SystemExit:
        rng = random.Random(seed)
        syllables = ["ka", "ne", "ri", "bo", "stu", "gen", "hel", "vå", "dør", "tre", "sk", "mø"]
        words = ["".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(5000)]
        return [rng.choices(words, k=rng.randint(5, 30)) for _ in range(n)], "made-up sentences"


def vocabulary(corpus: list[list[str]], size: int) -> Vocabulary:
    """<S> </S> <UNK>, the corpus's words by frequency, then filler words up to ``size``
    (the softmax costs what a real vocabulary of that size costs)."""
    counts: dict[str, int] = {}
    for s in corpus:
        for w in s:
            counts[w] = counts.get(w, 0) + 1
    words = sorted(counts, key=lambda w: -counts[w])[:size]
    words += [f"<filler{i}>" for i in range(size - len(words))]
    return Vocabulary(["<S>", "</S>", "<UNK>", *words])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="tiny")
    parser.add_argument("--batch", type=int, default=64, help="sentences per step")
    parser.add_argument("--vocab", type=int, default=1000, help="words in the vocabulary (softmax size)")
    parser.add_argument("--cutoffs", type=int, nargs="*", default=[10000, 40000], help="adaptive softmax cutoffs")
    parser.add_argument("--steps", type=int, default=20, help="timed steps (after 2 warm-up steps)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    corpus, source = sentences(20000)
    vocab = vocabulary(corpus, args.vocab)
    size = SIZES[args.size]
    encode = Encoder(vocab, size.max_chars)
    settings = ModelSettings(vocab="bench", size=args.size)
    torch.manual_seed(0)
    model = LanguageModel(size, len(vocab), 0.1, tuple(args.cutoffs)).to(device)
    optimizer = make_elmo_optimizer(model, settings, device)
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda")

    # batches as training cuts them: a shuffled buffer sorted by length, batches shuffled
    rng = random.Random(0)
    rng.shuffle(corpus)
    buffer = sorted(corpus[: args.batch * 50], key=len)
    batches = [buffer[k : k + args.batch] for k in range(0, len(buffer) - args.batch + 1, args.batch)]
    rng.shuffle(batches)

    def step(batch):
        inputs = [torch.from_numpy(x).to(device, non_blocking=True) for x in encode(batch)]
        with autocast:
            nll, n = model(*inputs)
        (nll / n).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip_norm)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    for batch in batches[:2]:
        step(batch)
    if device.type == "cuda":
        torch.cuda.synchronize()
    tokens, start = 0, time.perf_counter()
    for batch in (batches * math.ceil(args.steps / len(batches)))[: args.steps]:
        step(batch)
        tokens += sum(map(len, batch))
    if device.type == "cuda":
        torch.cuda.synchronize()
    elapsed = time.perf_counter() - start
    rate = tokens / elapsed
    result = {"size": args.size, "device": str(device), "threads": args.threads, "batch": args.batch,
              "vocab": len(vocab), "sentences": source, "steps": args.steps, "tokens": tokens,
              "seconds": round(elapsed, 2), "tokens_per_s": round(rate, 1),
              "s_per_step": round(elapsed / args.steps, 3),
              "hours_per_100M_tokens": round(1e8 / rate / 3600, 1),
              "parameters": sum(p.numel() for p in model.parameters())}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
