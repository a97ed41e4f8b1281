"""Accounting of a filtering step: documents and words in, kept, dropped by reason.

Every stage that can drop a document writes one of these per shard, and the
invariant ``in == kept + sum(dropped)`` holds for documents and for words.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


class StageStats:
    def __init__(self, stage: str, source: str):
        self.stage = stage
        self.source = source
        self.docs = Counter()  # "in", "kept"
        self.words = Counter()
        self.dropped_docs = Counter()  # reason -> documents
        self.dropped_words = Counter()  # reason -> words
        self.extra: dict = {}  # stage-specific additions to the stats file

    def kept(self, words: int) -> None:
        self._seen(words)
        self.docs["kept"] += 1
        self.words["kept"] += words

    def dropped(self, reason: str, words: int) -> None:
        self._seen(words)
        self.dropped_docs[reason] += 1
        self.dropped_words[reason] += words

    def trimmed(self, reason: str, words: int) -> None:
        """Words removed from inside a document that is kept (lines, paragraphs)."""
        self.words["in"] += words
        self.dropped_words[reason] += words
        self.dropped_docs[reason] += 0  # the reason shows in both tables

    def _seen(self, words: int) -> None:
        self.docs["in"] += 1
        self.words["in"] += words

    def to_dict(self) -> dict:
        def block(total: Counter, dropped: Counter) -> dict:
            return {
                "in": total["in"],
                "kept": total["kept"],
                "dropped": dict(sorted(dropped.items())),
            }

        return {
            "stage": self.stage,
            "source": self.source,
            "documents": block(self.docs, self.dropped_docs),
            "words": block(self.words, self.dropped_words),
            **self.extra,
        }

    def write(self, path: str | Path) -> None:
        write(self.to_dict(), path)


def write(stats: dict, path: str | Path) -> None:
    Path(path).write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n")


def merge(parts: list[dict]) -> dict:
    """The stats of a stage's parts as one: counts added up, and per-input counts
    (``inputs``) added up by input name."""
    merged = {k: v for k, v in parts[0].items() if k not in ("documents", "words", "inputs")}
    for unit in ("documents", "words"):
        dropped = Counter()
        for part in parts:
            dropped.update(part[unit]["dropped"])
        merged[unit] = {"in": sum(p[unit]["in"] for p in parts), "kept": sum(p[unit]["kept"] for p in parts),
                        "dropped": dict(sorted(dropped.items()))}
    if any("inputs" in p for p in parts):
        inputs: dict[str, Counter] = {}
        for part in parts:
            for name, counts in part.get("inputs", {}).items():
                inputs.setdefault(name, Counter()).update(counts)
        merged["inputs"] = {name: dict(counts) for name, counts in sorted(inputs.items())}
    check_balance(merged)
    return merged


def check_balance(stats: dict) -> None:
    """Raise if a stats dict loses or invents documents or words."""
    for unit in ("documents", "words"):
        block = stats[unit]
        if block["in"] != block["kept"] + sum(block["dropped"].values()):
            raise AssertionError(
                f"{stats['stage']}/{stats['source']}: {unit} in={block['in']} but "
                f"kept={block['kept']} + dropped={block['dropped']}"
            )


def load(path: str | Path) -> dict:
    stats = json.loads(Path(path).read_text())
    check_balance(stats)
    return stats

