"""Scores as the NorBERT and NorELMo tables report them, and their summary over seeds."""

from __future__ import annotations

import math
from typing import Callable, Sequence

# A tagger's score of its predicted tags, one list per sentence (None: a word it could not tag)
Scorer = Callable[[Sequence, list[list]], float]


def accuracy(gold: Sequence, predicted: Sequence) -> float:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    if not gold:
        raise ValueError("no labels to score")
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold)


def tag_accuracy(sentences: Sequence, predicted: list[list]) -> float:
    """Accuracy over the words of tagged sentences (``.tags``)."""
    return accuracy([t for s in sentences for t in s.tags], [t for row in predicted for t in row])


def f1_per_class(gold: Sequence, predicted: Sequence, classes: Sequence) -> dict:
    """F1 of each class; a class never predicted and never gold scores 0, as scikit-learn does."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    scores = {}
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, predicted))
        fp = sum(g != c and p == c for g, p in zip(gold, predicted))
        fn = sum(g == c and p != c for g, p in zip(gold, predicted))
        scores[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return scores


def macro_f1(gold: Sequence, predicted: Sequence, classes: Sequence) -> float:
    """The unweighted mean of the classes' F1 (NoReC sentence-level sentiment is scored so)."""
    per_class = f1_per_class(gold, predicted, classes)
    return sum(per_class.values()) / len(per_class)


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    if not values:
        raise ValueError("no values")
    mean = sum(values) / len(values)
    if len(values) == 1:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
