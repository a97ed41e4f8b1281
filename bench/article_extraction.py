"""The article-extraction benchmark (scrapinghub, 181 saved news pages with gold text)
and its word-shingle metric, for bench/html_extraction.py and tests/test_html_benchmark.py.

The metric, as the benchmark's README and evaluate.py describe it: a text is the
sequence of its ``\\w+`` tokens; its shingles are the token 4-grams (a text of fewer
than four tokens is one shorter shingle), counted as a multiset. Per page, true
positives are the shingles both texts share (minimum of the counts), false positives
and negatives the surplus of either, all three divided by their sum so that a long
page weighs no more than a short one. Precision is averaged over the pages that
predicted something, recall over the pages whose gold text has something, and F1 is
computed from the two averages. The spread is the standard deviation of F1 (and P,
R) over bootstrap resamples of the pages.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import tarfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

TAR = Path("formats/html/article-extraction-benchmark.tar.gz")  # under the shared data directory
SHINGLE = 4
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = SHINGLE) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < n:  # short texts still count, as one shingle
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


@dataclass(frozen=True)
class PageScore:
    """A page's shingle counts, as shares of their sum (all 0 when both texts are empty)."""
    tp: float
    fp: float
    fn: float

    @classmethod
    def of(cls, gold: str, predicted: str) -> "PageScore":
        g, p = shingles(gold), shingles(predicted)
        tp = sum((g & p).values())
        fp = sum((p - g).values())
        fn = sum((g - p).values())
        total = tp + fp + fn
        return cls(tp / total, fp / total, fn / total) if total else cls(0.0, 0.0, 0.0)

    def precision(self) -> float | None:
        if self.tp + self.fp == 0:
            return None  # nothing predicted: not in the precision average
        return self.tp / (self.tp + self.fp)

    def recall(self) -> float | None:
        if self.tp + self.fn == 0:
            return None  # nothing to find: not in the recall average
        return self.tp / (self.tp + self.fn)


def summary(scores: list[PageScore]) -> tuple[float, float, float]:
    """(F1, precision, recall) of a set of pages: P and R averaged, F1 from the averages."""
    precision = statistics.fmean(p for s in scores if (p := s.precision()) is not None)
    recall = statistics.fmean(r for s in scores if (r := s.recall()) is not None)
    return 2 * precision * recall / (precision + recall), precision, recall


@dataclass
class Result:
    f1: float
    precision: float
    recall: float
    f1_std: float
    precision_std: float
    recall_std: float
    zero_overlap: list[str]  # pages whose prediction shares no shingle with the gold text
    empty: list[str]  # pages with no prediction at all


def score(gold: dict[str, str], predicted: dict[str, str], resamples: int = 1000, seed: int = 0) -> Result:
    """The metric over all pages of ``gold`` (a page missing from ``predicted`` predicted nothing)."""
    ids = sorted(gold)
    scores = [PageScore.of(gold[i], predicted.get(i, "")) for i in ids]
    rng = random.Random(seed)
    boot = [summary(rng.choices(scores, k=len(scores))) for _ in range(resamples)]
    f1_std, p_std, r_std = (statistics.stdev(b[k] for b in boot) for k in range(3))
    return Result(*summary(scores), f1_std, p_std, r_std,
                  zero_overlap=[i for i, s in zip(ids, scores) if s.tp == 0 and gold[i].strip()],
                  empty=[i for i in ids if not predicted.get(i, "").strip()])


def page_id(member: str) -> str | None:
    """The page id of a tar member (``html/<id>.html``), None for other members."""
    name = member.rsplit("/", 1)[-1]
    return name.removesuffix(".html") if name.endswith(".html") else None


def gold_texts(tar_path: Path) -> dict[str, str]:
    with tarfile.open(tar_path) as tar:
        truth = json.load(tar.extractfile("ground-truth.json"))
    return {page: entry.get("articleBody", "") for page, entry in truth.items()}


def pages(tar_path: Path) -> Iterator[tuple[str, bytes]]:
    """``(page id, HTML bytes)`` of every page in the tar."""
    with tarfile.open(tar_path) as tar:
        for member in tar:
            if member.isfile() and (page := page_id(member.name)):
                yield page, tar.extractfile(member).read()


def predictions(records, source: str) -> dict[str, str]:
    """Texts by page id from a reader's records over the tar (``<source>/html/<id>.html``);
    a page set aside predicts nothing."""
    out = {}
    for record in records:
        page = page_id(record.id.removeprefix(f"{source}/"))
        if page and hasattr(record, "text"):
            out[page] = record.text
    return out


def predict_each(tar_path: Path, extract: Callable[[bytes], str]) -> dict[str, str]:
    """Texts by page id from a function of a page's bytes."""
    return {page: extract(data) or "" for page, data in pages(tar_path)}
