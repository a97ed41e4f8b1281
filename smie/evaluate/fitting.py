"""The training loop shared by every evaluation: epochs, a dev score after each,
the weights of the best dev epoch kept for the one test evaluation."""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass
from typing import Callable

import torch

from smie.training import learning_rate

IGNORE = -100  # the label of positions that carry none (cross-entropy's ignore_index default)


@dataclass(frozen=True)
class Result:
    dev: float
    test: float | None
    best_epoch: int
    minutes: float


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def shuffled_batches(n: int, size: int, seed: int, epoch: int) -> list[list[int]]:
    """Indices 0..n-1 in a (seed, epoch)-determined order, cut into batches."""
    order = list(range(n))
    random.Random(seed * 1000 + epoch).shuffle(order)
    return [order[i:i + size] for i in range(0, n, size)]


def fit(model: torch.nn.Module, loss: Callable[[dict], torch.Tensor], batches: Callable[[int], list],
        evaluate: Callable[[], float], settings, seed: int, log) -> tuple[float, int, dict, float]:
    """Train ``model`` for ``settings.epochs`` with AdamW (``lr``, linear ``warmup`` and
    decay, ``weight_decay`` on matrices only), gradients clipped at 1.

    ``batches(epoch)`` gives the epoch's inputs, ``loss(inputs)`` their mean loss.
    Returns the best dev score, its epoch (from 1), its weights and the seconds taken.
    """
    decay = [p for p in model.parameters() if p.requires_grad and p.ndim >= 2]
    rest = [p for p in model.parameters() if p.requires_grad and p.ndim < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": settings.weight_decay},
                                   {"params": rest, "weight_decay": 0.0}], lr=settings.lr)
    total = settings.epochs * len(batches(0))
    best = (-1.0, 0, None)
    start = time.perf_counter()
    step = 0
    for epoch in range(settings.epochs):
        model.train()
        torch.manual_seed(seed * 1000 + epoch)
        for inputs in batches(epoch):
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, total, settings.lr, settings.warmup)
            loss(inputs).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
        score = evaluate()
        if log:
            print(f"smie: epoch {epoch + 1}: dev {score:.4f}", file=log)
        if score > best[0]:
            best = (score, epoch + 1, copy.deepcopy(model.state_dict()))
    return best[0], best[1], best[2], time.perf_counter() - start
