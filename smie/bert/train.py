"""One BERT pretraining phase: resume, train, checkpoint, export in Hugging Face format.

A phase reads the sequences of one length (smie/bert/data.py), masks each batch
afresh, and takes ``steps`` optimizer steps of ``batch_size`` sequences
(``micro_batch`` per forward pass and process, gradients accumulated to the
global batch). Phase 1 starts from random weights, later phases from the
previous phase's export, with a fresh optimizer and their own warmup (as
NVIDIA's phase 2). Under torchrun every process trains its share of each batch
and DDP averages the gradients.

Step s always reads sequences [s * batch_size, (s + 1) * batch_size) of the
seeded order and seeds dropout and masking from s, so a run resumed from the
checkpoint of step s ends exactly where an uninterrupted run ends (on the same
device and thread count).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch.nn.parallel import DistributedDataParallel

from smie.bert.data import Sequences
from smie.bert.masking import Vocabulary, mask_batch
from smie.bert.model import PretrainingLoss, Size, load_model, new_model, token_types, training_flops
from smie.documents import InputError
from smie.settings import from_config
from smie.training import (INTERRUPTED, Checkpoints, Progress, Scalars, StopSignal, TrainingLog, any_rank,
                           copy_events, file_digest, learning_rate, make_optimizer, processes, step_seed)

TOKENIZER_FILES = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]


@dataclass(frozen=True)
class Phase:
    """One phase of a model's pretraining (config: ``bert.models.<name>.phases``)."""

    seq_length: int
    steps: int
    batch_size: int
    micro_batch: int
    lr: float
    warmup: float = 0.01
    decay: str = "linear"


@dataclass(frozen=True)
class ModelSettings:
    """A model to pretrain (config: ``bert.models.<name>``); see the schema for each field."""

    vocab: str
    size: str
    nsp: bool = True
    whole_word_masking: bool = False
    mask_prob: float = 0.15
    optimizer: str = "adamw"
    weight_decay: float = 0.01
    clip_norm: float = 1.0
    seed: int = 42
    checkpoint_every: int = 1000
    log_every: int = 100
    compile: bool = False
    peak_tflops: float = 989.0
    tensorboard: bool = True
    resources: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict, name: str) -> "ModelSettings":
        return from_config(cls, d, f"bert.models.{name}")


def run_fingerprint(settings: ModelSettings, size: Size, phase: Phase, phase_index: int, data_index: Path,
                    init: Path | None) -> dict:
    """What a checkpoint must match to be resumed: everything that changes the result."""
    s = asdict(settings)
    for key in ("checkpoint_every", "log_every", "resources", "peak_tflops", "tensorboard"):
        s.pop(key)
    return {"settings": s, "size": asdict(size), "phase": [phase_index, asdict(phase)],
            "data": file_digest(data_index), "init": file_digest(init / "model.safetensors") if init else None}


def pretrain_phase(settings: ModelSettings, size: Size, phase: Phase, phase_index: int, data_index: Path,
                   tokenizer_dir: Path, init: Path | None, out_dir: Path, checkpoint_dir: Path, threads: int,
                   log) -> None:
    """Phase ``phase_index`` (0-based) of a model, starting from ``init`` (the previous phase's export)."""
    from tokenizers import Tokenizer

    with processes() as procs:
        if procs.device.type == "cpu":
            torch.set_num_threads(max(1, threads // procs.world))
        per_pass = phase.micro_batch * procs.world
        if phase.batch_size % per_pass:
            raise InputError(f"bert: batch_size {phase.batch_size} is not a multiple of micro_batch "
                             f"{phase.micro_batch} x {procs.world} processes")
        accumulate = phase.batch_size // per_pass

        tokenizer = Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
        vocab = Vocabulary.of(tokenizer, procs.device)
        pad, sep = tokenizer.token_to_id("[PAD]"), tokenizer.token_to_id("[SEP]")
        index = json.loads(data_index.read_text())
        data = Sequences([data_index.parent / p for p in index["ids"]], [data_index.parent / p for p in index["nsp"]],
                         seed=settings.seed + phase_index)
        if data.seq_length != phase.seq_length:
            raise InputError(f"{data_index}: sequences of length {data.seq_length}, phase wants {phase.seq_length}")

        torch.manual_seed(settings.seed)
        if init is None:
            model = new_model(size.bert_config(tokenizer.get_vocab_size(), pad), settings.nsp)
        else:
            model = load_model(str(init), settings.nsp)
        model.to(procs.device)
        optimizer = make_optimizer(model, settings.optimizer, phase.lr, settings.weight_decay, procs.device)

        checkpoints = Checkpoints(checkpoint_dir, run_fingerprint(settings, size, phase, phase_index, data_index, init))
        train_log = TrainingLog(checkpoint_dir / "training.jsonl", enabled=procs.main)
        state, step = checkpoints.resume(model, optimizer, log if procs.main else None)
        train_log.truncate_after(step)
        scalars = Scalars(checkpoint_dir, procs.main and settings.tensorboard, replay=train_log.records())
        if settings.compile:
            model.bert.compile()  # in place: the state dict keeps its names

        loss_module = PretrainingLoss(model)
        if procs.world > 1:
            loss_module = DistributedDataParallel(
                loss_module, device_ids=[procs.local_rank] if procs.device.type == "cuda" else None)
        autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if procs.device.type == "cuda"
                    else contextlib.nullcontext())
        flops_per_seq = lambda predicted: training_flops(model.config, phase.seq_length, predicted)  # noqa: E731
        stop = StopSignal()

        def save():
            # the sums since the last log line go in the checkpoint, so that a resumed
            # run logs what an uninterrupted one logs: summed on rank 0 alone
            if procs.world > 1:
                torch.distributed.all_reduce(totals)
                if not procs.main:
                    totals.zero_()
            if procs.main:
                checkpoints.save(step, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                        "totals": totals.tolist(), "elapsed": progress.elapsed()})
            if procs.world > 1:
                torch.distributed.barrier()

        # sums since the last log line: loss, mlm, nsp, tokens, predicted positions, micro-batches
        totals = torch.zeros(6, dtype=torch.float64, device=procs.device)
        if state and procs.main:
            totals += torch.tensor(state["totals"], dtype=torch.float64, device=procs.device)
        clock, logged_step = time.perf_counter(), step
        if procs.main:
            print(f"smie: phase {phase_index + 1}: steps {step}..{phase.steps}, {data.size:,} sequences of "
                  f"{phase.seq_length}, {procs.world} process(es) on {procs.device}, {accumulate} micro-batch(es) "
                  f"of {phase.micro_batch} per step", file=log)
        progress = Progress(phase.steps, step, state.get("elapsed", 0.0) if state else 0.0)
        stopping = False
        while step < phase.steps:
            lr = learning_rate(step, phase.steps, phase.lr, phase.warmup, phase.decay)
            for group in optimizer.param_groups:
                group["lr"] = lr
            seed = step_seed(settings.seed, step, procs.rank)
            torch.manual_seed(seed)  # dropout
            generator = torch.Generator(procs.device).manual_seed(seed ^ 0x5EED)  # masking
            model.train()
            for micro in range(accumulate):
                start = step * phase.batch_size + (micro * procs.world + procs.rank) * phase.micro_batch
                ids, nsp = (torch.from_numpy(x).to(procs.device, non_blocking=True)
                            for x in data.batch(start, phase.micro_batch))
                inputs, labels = mask_batch(ids, vocab, settings.mask_prob, settings.whole_word_masking, generator)
                sync = procs.world == 1 or micro == accumulate - 1
                with autocast, (contextlib.nullcontext() if sync else loss_module.no_sync()):
                    loss, mlm, nsp_loss = loss_module(inputs, labels, token_types(ids, sep), ids != pad, nsp)
                    (loss / accumulate).backward()
                totals += torch.stack([loss.detach().double(), mlm.double(),
                                       (nsp_loss if nsp_loss is not None else mlm * 0).double(),
                                       (ids != pad).sum().double(), (labels >= 0).sum().double(),
                                       torch.ones((), dtype=torch.float64, device=procs.device)])
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), settings.clip_norm)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1

            if step % settings.log_every == 0 or step == phase.steps:
                if procs.world > 1:
                    torch.distributed.all_reduce(totals)
                loss_sum, mlm_sum, nsp_sum, tokens, predicted, passes = totals.tolist()
                elapsed = time.perf_counter() - clock
                sequences = (step - logged_step) * phase.batch_size
                record = {"phase": phase_index + 1, "step": step, "loss": loss_sum / passes,
                          "mlm_loss": mlm_sum / passes, "lr": lr, "grad_norm": float(grad_norm),
                          "sequences_per_s": sequences / elapsed, "tokens_per_s": tokens / elapsed}
                if settings.nsp:
                    record["nsp_loss"] = nsp_sum / passes
                if procs.device.type == "cuda":
                    achieved = flops_per_seq(predicted / sequences) * sequences / elapsed
                    record["mfu"] = achieved / (settings.peak_tflops * 1e12 * procs.world)
                record.update(progress.at(step))
                train_log.write(record)
                scalars.write(record)
                if procs.main:
                    print(json.dumps(record), file=log)
                    print(progress.line(step), file=log)
                totals.zero_()
                clock, logged_step = time.perf_counter(), step

            stopping = any_rank(bool(stop), procs)
            if step % settings.checkpoint_every == 0 or stopping:
                save()
            if stopping:
                if procs.main:
                    print(f"smie: signal {stop.received}: checkpoint at step {step} saved, stopping", file=log)
                break

        del loss_module  # DDP's reducer goes before the process group (see training.processes)
        scalars.close()
        if stopping:
            sys.exit(INTERRUPTED)
        if procs.main:
            export(model, tokenizer_dir, checkpoint_dir, init, out_dir, phase_index + 1)


def export(model, tokenizer_dir: Path, checkpoint_dir: Path, init: Path | None, out_dir: Path,
           phase_number: int = 1) -> None:
    """The model, its tokenizer, its training log and its TensorBoard events, as one
    Hugging Face directory.

    The log continues the previous phase's, so the last phase holds the whole curve;
    ``runs/phase<N>/`` holds every phase's event files so far (one TensorBoard run
    each, which the Hub's TensorBoard tab shows too).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    for name in TOKENIZER_FILES:
        shutil.copyfile(tokenizer_dir / name, out_dir / name)
    earlier = (init / "training.jsonl").read_text(encoding="utf-8") if init else ""
    training_log = (checkpoint_dir / "training.jsonl").read_text(encoding="utf-8")
    (out_dir / "training.jsonl").write_text(earlier + training_log, encoding="utf-8")
    shutil.rmtree(out_dir / "runs", ignore_errors=True)
    for n in range(1, phase_number):
        copy_events(init / "runs" / f"phase{n}", out_dir / "runs" / f"phase{n}")
    copy_events(checkpoint_dir, out_dir / "runs" / f"phase{phase_number}")
