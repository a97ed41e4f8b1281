"""Pretrain one ELMo model: resume, train, evaluate, checkpoint, export.

Step s reads global batch s of the deterministic order (smie/elmo/data.py) and
seeds dropout from s, so a run resumed from the checkpoint of step s ends exactly
where an uninterrupted run ends (same device and thread count). Under torchrun
every process takes every world-th sentence of the batch and DDP averages the
gradients; each process scales its summed loss by the batch's target count
(known to all, as every process builds the whole batch), so the gradient is the
mean over the global batch whatever the number of processes.

The optimizer is bilm-tf's by default: Adagrad, learning rate 0.2, accumulators
starting at 1, gradients clipped to a global norm of 10.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch.nn.parallel import DistributedDataParallel

from smie.documents import InputError
from smie.elmo.data import Batching, Corpus, Encoder, Vocabulary, shard
from smie.elmo.export import export
from smie.elmo.model import LanguageModel, Size
from smie.settings import from_config
from smie.training import (INTERRUPTED, Checkpoints, Progress, Scalars, StopSignal, TrainingLog, any_rank,
                           copy_events, file_digest, learning_rate, make_optimizer, processes, step_seed)


@dataclass(frozen=True)
class ModelSettings:
    """A model to pretrain (config: ``elmo.models.<name>``); see the schema for each field."""

    vocab: str
    size: str
    batch_size: int = 192
    epochs: float = 3
    max_tokens: int = 100
    dropout: float = 0.1
    optimizer: str = "adagrad"
    lr: float = 0.2
    warmup: float = 0.0
    decay: str = "constant"
    weight_decay: float = 0.0
    clip_norm: float = 10.0
    softmax_cutoffs: tuple = (10000, 40000)
    softmax_factor: float = 4.0
    heldout: float = 0.001
    heldout_max: int = 5000
    buffer_batches: int = 500
    seed: int = 42
    checkpoint_every: int = 1000
    log_every: int = 100
    eval_every: int = 5000
    tensorboard: bool = True
    resources: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict, name: str) -> "ModelSettings":
        s = from_config(cls, d, f"elmo.models.{name}")
        return cls(**{**asdict(s), "softmax_cutoffs": tuple(s.softmax_cutoffs)})

    def batching(self) -> Batching:
        return Batching(batch_size=self.batch_size, max_tokens=self.max_tokens, heldout=self.heldout,
                        heldout_max=self.heldout_max, buffer_batches=self.buffer_batches, seed=self.seed)


def run_fingerprint(settings: ModelSettings, size: Size, vocab: Path, corpus: Corpus) -> dict:
    """What a checkpoint must match to be resumed: everything that changes the result.
    The corpus by its files' names and sizes and its sentence and token counts
    (hashing a corpus of billions of words at every start would cost minutes)."""
    s = asdict(settings)
    for key in ("checkpoint_every", "log_every", "eval_every", "resources", "tensorboard"):
        s.pop(key)
    files = [[p.name, p.stat().st_size] for p in corpus.paths]
    return {"settings": s, "size": size.as_dict(), "vocab": file_digest(vocab), "corpus": files,
            "train": [corpus.train_sentences, corpus.train_tokens]}


def make_elmo_optimizer(model, settings: ModelSettings, device):
    if settings.optimizer == "adagrad":
        return torch.optim.Adagrad(model.parameters(), lr=settings.lr, initial_accumulator_value=1.0,
                                   weight_decay=settings.weight_decay)
    return make_optimizer(model, settings.optimizer, settings.lr, settings.weight_decay, device)


def total_steps(settings: ModelSettings, corpus: Corpus) -> int:
    return max(1, round(settings.epochs * corpus.steps_per_epoch))


@torch.no_grad()
def heldout_perplexity(model: LanguageModel, corpus: Corpus, encode: Encoder, procs, batch_size: int, autocast):
    """exp(mean NLL per predicted word, both directions) over the held-out sentences."""
    model.eval()
    sentences = sorted(shard(corpus.heldout, procs.rank, procs.world), key=len)
    totals = torch.zeros(2, dtype=torch.float64, device=procs.device)
    for start in range(0, len(sentences), batch_size):
        inputs = [torch.from_numpy(x).to(procs.device) for x in encode(sentences[start : start + batch_size])]
        with autocast:
            nll, n = model(*inputs)
        totals += torch.tensor([float(nll), n], dtype=torch.float64, device=procs.device)
    if procs.world > 1:
        torch.distributed.all_reduce(totals)
    model.train()
    nll, n = totals.tolist()
    return math.exp(nll / n) if n else None


def pretrain(settings: ModelSettings, size: Size, corpus_paths: list[Path], vocab_path: Path, out_dir: Path,
             checkpoint_dir: Path, threads: int, log, device: str = "auto") -> None:
    with processes(device) as procs:
        if procs.device.type == "cpu":
            torch.set_num_threads(max(1, threads // procs.world))
        if settings.batch_size < procs.world:
            raise InputError(f"elmo: batch_size {settings.batch_size} is smaller than the {procs.world} processes")
        vocab = Vocabulary.read(vocab_path)
        encode = Encoder(vocab, size.max_chars)
        corpus = Corpus(corpus_paths, settings.batching())
        steps = total_steps(settings, corpus)

        torch.manual_seed(settings.seed)
        model = LanguageModel(size, len(vocab), settings.dropout, settings.softmax_cutoffs,
                              settings.softmax_factor).to(procs.device)
        optimizer = make_elmo_optimizer(model, settings, procs.device)
        checkpoints = Checkpoints(checkpoint_dir, run_fingerprint(settings, size, vocab_path, corpus))
        train_log = TrainingLog(checkpoint_dir / "training.jsonl", enabled=procs.main)
        state, step = checkpoints.resume(model, optimizer, log if procs.main else None)
        train_log.truncate_after(step if step else -1)  # a fresh start forgets a killed run's lines
        scalars = Scalars(checkpoint_dir, procs.main and settings.tensorboard, replay=train_log.records())

        trainer = model
        if procs.world > 1:
            trainer = DistributedDataParallel(
                model, device_ids=[procs.local_rank] if procs.device.type == "cuda" else None)
        autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if procs.device.type == "cuda"
                    else contextlib.nullcontext())
        stop = StopSignal()

        def evaluate():
            ppl = heldout_perplexity(model, corpus, encode, procs, settings.batch_size, autocast)
            record = {"step": step, "epoch": step / corpus.steps_per_epoch, "heldout_ppl": ppl,
                      "heldout_sentences": len(corpus.heldout)}
            train_log.write(record)
            scalars.write(record)
            if procs.main:
                print(json.dumps(record), file=log)

        if procs.main:
            print(f"smie: elmo: steps {step}..{steps} ({corpus.steps_per_epoch} per epoch), "
                  f"{corpus.train_sentences:,} training sentences ({corpus.train_tokens:,} tokens), "
                  f"{len(corpus.heldout):,} held out, {procs.world} process(es) on {procs.device}", file=log)
        if step == 0 and corpus.heldout:
            evaluate()

        # sums since the last log line: NLL (on the device: no sync per step), predicted words, sentence tokens;
        # a checkpoint keeps the first two, so a resumed run logs the same losses
        nll_sum = torch.zeros((), dtype=torch.float64, device=procs.device)
        predicted = tokens = 0
        if state:
            nll_sum.fill_(state["window"][0] if procs.main else 0.0)
            predicted = state["window"][1]
        clock, logged_step = time.perf_counter(), step
        progress = Progress(steps, step, state.get("elapsed", 0.0) if state else 0.0)
        epoch, batches = None, iter(())
        model.train()
        stopping = False
        while step < steps:
            if step // corpus.steps_per_epoch != epoch:
                epoch = step // corpus.steps_per_epoch
                batches = corpus.batches(epoch, start=step - epoch * corpus.steps_per_epoch)
            batch = next(batches)
            lr = learning_rate(step, steps, settings.lr, settings.warmup, settings.decay)
            for group in optimizer.param_groups:
                group["lr"] = lr
            torch.manual_seed(step_seed(settings.seed, step, procs.rank))  # dropout
            targets = 2 * sum(len(s) + 1 for s in batch)  # each direction predicts len + 1 words
            inputs = [torch.from_numpy(x).to(procs.device, non_blocking=True)
                      for x in encode(shard(batch, procs.rank, procs.world))]
            with autocast:
                nll, _ = trainer(*inputs)
            (nll * (procs.world / targets)).backward()
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip_norm)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            nll_sum += nll.detach().double()
            predicted += targets  # every process knows the global counts
            tokens += sum(map(len, batch))
            step += 1

            if step % settings.log_every == 0 or step == steps:
                if procs.world > 1:
                    torch.distributed.all_reduce(nll_sum)
                loss = nll_sum.item() / predicted
                elapsed = time.perf_counter() - clock
                record = {"step": step, "epoch": step / corpus.steps_per_epoch, "loss": loss, "ppl": math.exp(loss),
                          "lr": lr, "grad_norm": float(grad_norm), "tokens_per_s": tokens / elapsed,
                          "sentences_per_s": (step - logged_step) * settings.batch_size / elapsed,
                          **progress.at(step)}
                train_log.write(record)
                scalars.write(record)
                if procs.main:
                    print(json.dumps(record), file=log)
                    print(progress.line(step), file=log)
                nll_sum.zero_()
                predicted = tokens = 0
                clock, logged_step = time.perf_counter(), step

            if corpus.heldout and (step % settings.eval_every == 0 or step == steps):
                evaluate()
            stopping = any_rank(bool(stop), procs)
            if step % settings.checkpoint_every == 0 or stopping or step == steps:
                if procs.world > 1:  # the window's NLL, summed on rank 0 alone
                    torch.distributed.all_reduce(nll_sum)
                    if not procs.main:
                        nll_sum.zero_()
                if procs.main:
                    checkpoints.save(step, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                            "window": [nll_sum.item(), predicted], "elapsed": progress.elapsed()})
                if procs.world > 1:
                    torch.distributed.barrier()
            if stopping:
                if procs.main:
                    print(f"smie: signal {stop.received}: checkpoint at step {step} saved, stopping", file=log)
                break

        del trainer  # DDP's reducer goes before the process group (see training.processes)
        scalars.close()
        if stopping:
            sys.exit(INTERRUPTED)

        if procs.main:
            training = {"dropout": settings.dropout, "all_clip_norm_val": settings.clip_norm,
                        "n_epochs": settings.epochs, "n_train_tokens": corpus.train_tokens,
                        "batch_size": settings.batch_size, "n_tokens_vocab": len(vocab)}
            export(model.bilm, vocab_path, out_dir, training)
            shutil.copyfile(checkpoint_dir / "training.jsonl", out_dir / "training.jsonl")
            copy_events(checkpoint_dir, out_dir / "runs")
