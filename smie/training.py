"""What BERT and ELMo pretraining share: processes, checkpoints, the log, the schedule.

A pretraining job is a Snakemake rule whose declared outputs are written only at
the end; everything a rerun needs to continue lives in a checkpoint directory
beside them (Snakemake deletes the outputs of a failed job, not other files):

- :class:`Checkpoints` keeps the last few ``step-NNNNNNNN.pt`` files, written
  atomically, each with a fingerprint of the settings so that a rerun with other
  settings starts over instead of continuing someone else's run;
- :class:`TrainingLog` appends JSON lines on rank 0 and, on resume, drops the
  lines of steps after the checkpoint, so the log reads as one uninterrupted run;
- :func:`step_seed` seeds dropout and masking from (seed, step, rank): a resumed
  run draws exactly what the uninterrupted run drew, with no RNG state to save;
- :class:`StopSignal` turns SIGTERM (Slurm's warning before a walltime kill,
  ``scancel``) into a checkpoint and a clean exit at the next step;
- :class:`Progress` gives each log line the time elapsed and an estimate of the time
  left; :class:`Scalars` writes the log's numbers as TensorBoard event files beside it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist

from smie.documents import read_jsonl

# Exit status of a job stopped by a signal after saving its checkpoint: not 0, so
# Snakemake (and Slurm) count the job as failed and a retry resumes it.
INTERRUPTED = 75


@dataclass(frozen=True)
class Processes:
    """This process's place in a torchrun launch (or the single process of a plain run)."""

    rank: int
    world: int
    local_rank: int
    device: torch.device

    @property
    def main(self) -> bool:
        return self.rank == 0


@contextmanager
def processes(device: str = "auto"):
    """Join the torchrun process group when launched by torchrun; yield :class:`Processes`.

    ``device``: "auto" takes this process's GPU when there is one, else the CPU
    (gloo joins CPU processes, for tests of the distributed path). A DistributedDataParallel
    wrapper must be deleted inside the block: outliving the process group, its reducer
    tears gloo down while holding the GIL that gloo's worker thread waits for (a hang
    at exit, seen in the two-process tests).
    """
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    dev = torch.device(device, local_rank) if device == "cuda" else torch.device(device)
    if dev.type == "cuda":
        torch.cuda.set_device(dev)
    if world > 1:
        dist.init_process_group("nccl" if dev.type == "cuda" else "gloo")
    try:
        yield Processes(rank, world, local_rank, dev)
    finally:
        if world > 1:
            dist.destroy_process_group()


def fingerprint(settings: dict) -> str:
    """A short hash of the settings a checkpoint belongs to."""
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def file_digest(path: str | Path) -> str:
    """sha256 of a file, read in blocks: what a checkpoint's fingerprint records of an input."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def step_seed(seed: int, step: int, rank: int = 0) -> int:
    """The seed of one optimizer step on one rank (dropout, masking)."""
    digest = hashlib.blake2b(f"{seed}/{step}/{rank}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") & ((1 << 63) - 1)


class Checkpoints:
    """Numbered checkpoints in one directory; the newest ``keep`` survive."""

    _NAME = re.compile(r"^step-(\d{8})\.pt$")

    def __init__(self, directory: str | Path, settings: dict, keep: int = 2):
        self.dir = Path(directory)
        self.fingerprint = fingerprint(settings)
        self.keep = keep

    def _all(self) -> list[tuple[int, Path]]:
        if not self.dir.is_dir():
            return []
        found = [(int(m.group(1)), p) for p in self.dir.iterdir() if (m := self._NAME.match(p.name))]
        return sorted(found)

    def load_latest(self, log=None) -> dict | None:
        """The newest checkpoint of these settings, or None (checkpoints of other settings are removed)."""
        found = self._all()
        if not found:
            return None
        state = torch.load(found[-1][1], map_location="cpu", weights_only=False)
        if state.get("fingerprint") != self.fingerprint:
            if log:
                print(f"smie: checkpoints in {self.dir} belong to other settings; starting over", file=log)
            for _, path in found:
                path.unlink()
            return None
        if log:
            print(f"smie: resuming from {found[-1][1]} (step {state['step']})", file=log)
        return state

    def resume(self, model: torch.nn.Module, optimizer, log=None) -> tuple[dict | None, int]:
        """Load the newest checkpoint of these settings into model and optimizer: (its
        whole state, its step), or (None, 0) when training starts from scratch."""
        state = self.load_latest(log)
        if not state:
            return None, 0
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        return state, state["step"]

    def save(self, step: int, state: dict) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self.dir / f"step-{step:08d}.pt"
        tmp = path.with_suffix(".tmp")
        torch.save({**state, "step": step, "fingerprint": self.fingerprint}, tmp)
        os.replace(tmp, path)  # a kill mid-write leaves the previous checkpoint intact
        for _, old in self._all()[: -self.keep]:
            old.unlink()
        return path


class TrainingLog:
    """JSON lines, one per logged step, appended by rank 0."""

    def __init__(self, path: str | Path, enabled: bool = True):
        self.path = Path(path)
        self.enabled = enabled

    def truncate_after(self, step: int) -> None:
        """Forget lines of steps after ``step`` (logged by a run that died before its next checkpoint)."""
        if not self.enabled or not self.path.exists():
            return
        lines = self.path.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if line.strip() and json.loads(line).get("step", 0) <= step]
        self.path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")

    def records(self) -> list[dict]:
        """What the log holds (nothing on other ranks, or before the first line)."""
        return read_log(self.path) if self.enabled and self.path.exists() else []

    def write(self, record: dict) -> None:
        if self.enabled:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")


def read_log(path: str | Path) -> list[dict]:
    return list(read_jsonl(path))


class Progress:
    """Elapsed time and the time left, for the log lines of a run of ``total`` steps.

    The pace is measured on this attempt's own steps (a resumed run may sit on other
    hardware); the elapsed time adds what the checkpoint it resumed from had recorded
    (``before``), so it counts the whole training, not the attempt.
    """

    def __init__(self, total: int, step: int, before: float = 0.0):
        self.total, self.first, self.before = total, step, before
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return self.before + time.perf_counter() - self.start

    def at(self, step: int) -> dict:
        """``elapsed_seconds`` and ``remaining_seconds`` at ``step`` (steps done so far)."""
        spent = time.perf_counter() - self.start
        done = step - self.first
        left = (self.total - step) * spent / done if done > 0 else None
        return {"elapsed_seconds": round(self.before + spent, 1),
                "remaining_seconds": None if left is None else round(left, 1)}

    def line(self, step: int) -> str:
        times = self.at(step)
        left = times["remaining_seconds"]
        return (f"smie: step {step:,}/{self.total:,} ({100 * step / self.total:.0f}%), "
                f"elapsed {clock(times['elapsed_seconds'])}, "
                f"remaining {'unknown' if left is None else clock(left)}")


def clock(seconds: float) -> str:
    """Seconds as h:mm:ss (days as hours: a BERT-base phase runs for days)."""
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


EVENTS = "events.out.tfevents.*"  # TensorBoard's file names, whatever writes them


class Scalars:
    """The training log's numbers as TensorBoard event files in ``directory`` (rank 0 only).

    Written with tensorboardX: 3.4 MB installed (with protobuf), where the
    ``tensorboard`` package that torch.utils.tensorboard needs is 57 MB (grpcio, its
    data server); viewing needs ``tensorboard`` wherever one watches. Every start
    removes the earlier attempts' event files and writes the log so far (``replay``:
    training.jsonl as the checkpoint left it) into a new one, so the curves read as one
    run, as training.jsonl does: a killed attempt's unflushed events, and what it logged
    after its checkpoint, are not lost or doubled (TensorBoard's purge_step handles the
    second only).
    """

    def __init__(self, directory: str | Path, enabled: bool = True, replay: list[dict] = ()):
        self.writer = None
        if not enabled:
            return
        from tensorboardX import SummaryWriter

        directory = Path(directory)
        for old in directory.glob(EVENTS):
            old.unlink()
        directory.mkdir(parents=True, exist_ok=True)
        self.writer = SummaryWriter(str(directory), flush_secs=10)  # flushed often: a run can be watched live
        for record in replay:
            self.write(record)

    def write(self, record: dict) -> None:
        """Every number of a log record but the step counters and the times, as
        ``train/<key>``, or ``heldout/<key>`` for a held-out line (``heldout_ppl`` as ``heldout/ppl``)."""
        if self.writer is None:
            return
        group = "heldout" if "heldout_ppl" in record else "train"
        for key, value in record.items():
            if key in ("step", "phase", "elapsed_seconds", "remaining_seconds"):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.writer.add_scalar(f"{group}/{key.removeprefix(group + '_')}", value, record["step"])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def copy_events(source: Path, target: Path) -> None:
    """The event files of ``source`` into ``target``, replacing what ``target`` held."""
    shutil.rmtree(target, ignore_errors=True)
    events = sorted(Path(source).glob(EVENTS))
    if events:
        target.mkdir(parents=True, exist_ok=True)
        for path in events:
            shutil.copyfile(path, target / path.name)


def learning_rate(step: int, total: int, peak: float, warmup: float, decay: str = "linear") -> float:
    """Learning rate before optimizer step ``step`` (0-based) of ``total``.

    Linear warmup over ``warmup`` (a share of ``total``) to ``peak``, then
    ``linear`` decay to 0, ``cosine`` decay to 0, or ``constant``.
    """
    warm = int(round(warmup * total))
    if step < warm:
        return peak * (step + 1) / warm
    if decay == "constant" or total <= warm:
        return peak
    progress = min(1.0, (step - warm) / (total - warm))
    if decay == "cosine":
        return peak * 0.5 * (1.0 + math.cos(math.pi * progress))
    return peak * (1.0 - progress)


class StopSignal:
    """Remembers a SIGTERM/SIGUSR1 so the training loop can checkpoint and exit cleanly."""

    def __init__(self, signals=(signal.SIGTERM, signal.SIGUSR1)):
        self.received: int | None = None
        for sig in signals:
            signal.signal(sig, self._handle)

    def _handle(self, signum, frame) -> None:
        self.received = signum

    def __bool__(self) -> bool:
        return self.received is not None


def any_rank(flag: bool, procs: Processes) -> bool:
    """True on every rank when ``flag`` is true on any (so all ranks stop at the same step)."""
    if procs.world == 1:
        return flag
    t = torch.tensor([int(flag)], device=procs.device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


class Lamb(torch.optim.Optimizer):
    """LAMB (You et al., 2019): Adam's update scaled per tensor by ||w|| / ||update||.

    It keeps large global batches (NVIDIA's BERT: 64k sequences) stable. Bias
    correction as in Adam; no trust ratio for tensors without weight decay.
    """

    def __init__(self, params, lr: float, betas=(0.9, 0.999), eps: float = 1e-6, weight_decay: float = 0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                state["step"] += 1
                m, v = state["exp_avg"], state["exp_avg_sq"]
                m.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                v.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                m_hat = m / (1 - beta1 ** state["step"])
                v_hat = v / (1 - beta2 ** state["step"])
                update = m_hat / (v_hat.sqrt() + group["eps"])
                ratio = 1.0
                if group["weight_decay"]:
                    update.add_(p, alpha=group["weight_decay"])
                    w_norm, u_norm = p.norm(), update.norm()
                    ratio = torch.where((w_norm > 0) & (u_norm > 0), w_norm / u_norm, 1.0)
                p.add_(update * ratio, alpha=-group["lr"])


def make_optimizer(model: torch.nn.Module, name: str, lr: float, weight_decay: float, device: torch.device):
    """AdamW (fused kernels on GPU) or LAMB; biases and norm weights get no weight decay."""
    decay, no_decay = [], []
    for pname, p in model.named_parameters():
        if p.requires_grad:
            (no_decay if p.ndim < 2 else decay).append(p)
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    if name == "lamb":
        return Lamb(groups, lr=lr)
    if name == "adamw":
        return torch.optim.AdamW(groups, lr=lr, betas=(0.9, 0.999), eps=1e-6, fused=device.type == "cuda")
    raise ValueError(f"unknown optimizer {name!r} (adamw, lamb)")
