"""The language discriminator the workflow trains (rule train_discriminator) and the
langid stage applies where CLD2 confuses close languages (Bokmål, Nynorsk, Danish,
Swedish) or is unsure of short text.

CLD2 gets 86% of single sentences right between Bokmål and Nynorsk (bench/README.md):
it was never trained to tell them apart. A classifier trained on labelled sentences of
exactly the languages a corpus must separate does much better, as the n-gram baseline
in bench/ showed.

Why fastText: a linear classifier over words and their character n-grams (1-5) in C++,
trained in seconds on a treebank's sentences, predicting about 3 million words per
second on one core (the langid stage's budget is 300k words per second, all steps
included); deterministic on one thread; its model is one file. A scikit-learn linear
model would have to extract the character n-grams in Python, several times too slow
for the stage. The wheel is ``fasttext-numpy2-wheel``: fastText 0.9.2 built for numpy 2
(the original wheel's ``predict`` fails on numpy 2).

Training data: labelled sentences per language, from files (CoNLL-U ``# text =`` lines,
CoNLL-X token lines detokenised as for UDPipe training, or plain text with one sentence
per line; compressed or not) and from the paragraphs of extracted documents whose
language is known (a Wikipedia edition). A share of the distinct sentences of each
language, chosen by a hash of the text, is held out and measured, never trained on.
Languages with fewer sentences are repeated to about the size of the largest
(``balance``), so that a few hundred Danish sentences are not outvoted by tens of
thousands of Norwegian ones.
"""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from smie.documents import InputError, read_documents, word_count
from smie.settings import from_config
from smie.vocab import is_heldout  # the held-out choice the vocabularies make

ROOT = Path(__file__).resolve().parent.parent
LABEL = "__label__"
FORMATS = ("conllu", "conllx", "text", "documents")


@dataclass(frozen=True)
class Settings:
    """How the discriminator is trained (config ``langid.discriminator``, less its data).

    fastText's own names: ``dim`` (vector size), ``minn``/``maxn`` (character n-gram
    lengths), ``epoch``, ``lr``, ``bucket`` (hash buckets of the n-grams: the model's
    size is about ``bucket * dim * 4`` bytes).
    """

    heldout: float = 0.1
    max_per_language: int = 200_000
    balance: bool = True
    dim: int = 16
    minn: int = 1
    maxn: int = 5
    epoch: int = 15
    lr: float = 0.5
    bucket: int = 200_000
    seed: int = 1

    @classmethod
    def from_dict(cls, d: Mapping | None) -> "Settings":
        return from_config(cls, d, "langid.discriminator")


def normalise(text: str) -> str:
    """The text as the model sees it: lower case, on one line (fastText reads lines)."""
    return " ".join(text.lower().split())


def _fasttext():
    """fastText, imported where a model is trained or loaded: the language table reads
    this module's :func:`summary` in an environment without it."""
    import fasttext

    # fastText warns on stderr at every load_model that the returned object's class
    # changed in 0.9; it says nothing about the model
    fasttext.FastText.eprint = lambda *args, **kwargs: None
    return fasttext


# --- labelled sentences ---------------------------------------------------------------


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, decompressed by its magic bytes as the readers do (gzip, bz2,
    xz, zstd or none; a truncated archive names the file)."""
    from smie.archives import open_decompressed

    try:
        with io.TextIOWrapper(open_decompressed(path), encoding="utf-8") as f:
            yield from f
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 ({e})") from None


def read_examples(path: str | Path, fmt: str) -> Iterator[str]:
    """The sentences (for ``documents``: the paragraphs) of one file of labelled text."""
    path = Path(path)
    if fmt == "documents":
        for doc in read_documents(path):
            yield from (p for p in doc.text.split("\n") if p.strip())
    elif fmt == "conllu":
        yield from (line[9:].strip() for line in _lines(path) if line.startswith("# text = "))
    elif fmt == "conllx":
        from smie.udpipe import conllx_to_conllu  # the one CoNLL-X reader

        text = "".join(_lines(path))
        yield from (line[9:] for line in conllx_to_conllu(text, str(path)).splitlines() if line.startswith("# text = "))
    elif fmt == "text":
        yield from (line.strip() for line in _lines(path) if line.strip())
    else:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def labelled_examples(files: Mapping[str, Iterable[tuple[str, str]]], settings: Settings
                      ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """``(train, heldout)``: per language its distinct sentences, in file order, at most
    ``max_per_language`` of them. ``files``: language -> ``(path, format)`` pairs."""
    train: dict[str, list[str]] = {}
    heldout: dict[str, list[str]] = {}
    for lang, sources in files.items():
        seen: set[str] = set()
        train[lang], heldout[lang] = [], []
        for path, fmt in sources:
            if len(seen) >= settings.max_per_language:
                break
            found = False
            for text in read_examples(path, fmt):
                key = normalise(text)
                found = found or bool(key)
                if not key or key in seen:
                    continue
                if len(seen) >= settings.max_per_language:
                    break
                seen.add(key)
                (heldout if is_heldout(key, settings.heldout) else train)[lang].append(text)
            if not found:
                raise InputError(f"{path}: no {fmt} text found (training sentences for {lang})")
    return train, heldout


# --- training and prediction ----------------------------------------------------------------


def train(examples: Mapping[str, list[str]], settings: Settings, output: str | Path) -> None:
    """Train on ``examples`` (language -> sentences) and save the model to ``output``.

    Deterministic: the lines are shuffled with a seeded generator (fastText reads them
    in order, and a file sorted by language teaches it the last one) and trained on one
    thread with a fixed seed, so the same data gives the same model file.
    """
    if len(examples) < 2:
        raise ValueError(f"a discriminator needs two languages or more, not {sorted(examples)}")
    largest = max(len(s) for s in examples.values())
    lines = []
    for lang in sorted(examples):
        repeat = max(1, round(largest / len(examples[lang]))) if settings.balance else 1
        lines += [f"{LABEL}{lang} {normalise(s)}\n" for s in examples[lang]] * repeat
    random.Random(settings.seed).shuffle(lines)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "train.txt"
        data.write_text("".join(lines), encoding="utf-8")
        # fastText 0.9.2 trains the same model from the same data only in a fresh
        # process: a second training in one process (or in a forked one) gives another
        # model, or NaN. So every training runs in a new interpreter.
        command = [sys.executable, "-m", "smie.discriminator", str(data), str(output), json.dumps(asdict(settings))]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        subprocess.run(command, env=env, check=True)


def _train_file(data: str, output: str, settings: Settings) -> None:
    model = _fasttext().train_supervised(
        input=data, dim=settings.dim, minn=settings.minn, maxn=settings.maxn, epoch=settings.epoch,
        lr=settings.lr, bucket=settings.bucket, wordNgrams=1, loss="softmax", thread=1, seed=settings.seed, verbose=0)
    model.save_model(output)


class Discriminator:
    """A trained model: ``disc(text)`` is its ``(label, probability)``."""

    def __init__(self, path: str | Path):
        try:
            self.model = _fasttext().load_model(str(path))
        except ValueError as e:
            raise InputError(f"{path}: not a fastText model ({e})") from None
        self.labels = sorted(label[len(LABEL):] for label in self.model.labels)

    def __call__(self, text: str, among: Iterable[str] | None = None) -> tuple[str, float]:
        """The most probable label and its probability; given ``among``, the most
        probable of those (the ones the model knows; all if none) and its probability
        among them."""
        labels, probabilities = self.model.predict(normalise(text), k=-1)
        p = {label[len(LABEL):]: float(q) for label, q in zip(labels, probabilities)}
        allowed = [label for label in p if among is None or label in among] or list(p)
        best = max(allowed, key=p.__getitem__)
        return best, min(p[best] / sum(p[label] for label in allowed), 1.0)


def evaluate(disc: Discriminator, heldout: Mapping[str, list[str]], kept: Iterable[str]) -> dict:
    """Held-out accuracy: per language, between the ``kept`` languages (e.g. Bokmål vs
    Nynorsk) and kept-vs-other, on single sentences."""
    kept = set(kept)
    per_language, confusion = {}, Counter()
    between = [0, 0]  # sentences of a kept language: labelled exactly right, all
    keep_vs_other = [0, 0]  # all sentences: kept or not as their language is, all
    for lang in sorted(heldout):
        correct = 0
        for text in heldout[lang]:
            label, _ = disc(text)
            confusion[(lang, label)] += 1
            correct += label == lang
            keep_vs_other[0] += (label in kept) == (lang in kept)
            keep_vs_other[1] += 1
            if lang in kept:
                between[0] += label == lang
                between[1] += 1
        per_language[lang] = {"sentences": len(heldout[lang]), "accuracy": _share(correct, len(heldout[lang]))}
    return {
        "sentences": sum(len(s) for s in heldout.values()),
        "accuracy": _share(sum(n for (g, p), n in confusion.items() if g == p), sum(confusion.values())),
        "between_kept": _share(*between) if len(kept & set(heldout)) > 1 else None,
        "kept_vs_other": _share(*keep_vs_other) if set(heldout) - kept else None,
        "languages": per_language,
        "confusion": {f"{g}->{p}": n for (g, p), n in sorted(confusion.items()) if g != p},
    }


def _share(correct: int, total: int) -> float | None:
    return round(correct / total, 4) if total else None


def summary(stats: Mapping) -> str:
    """One line of held-out figures, for the language table's provenance."""
    held = stats["heldout"]
    if not held["sentences"]:
        return "discriminator: no sentence held out"
    parts = [f"{held['sentences']:,} held-out sentences", f"accuracy {held['accuracy']:.1%}"]
    if held["between_kept"] is not None:
        parts.append(f"between {'/'.join(stats['kept'])} {held['between_kept']:.1%}")
    if held["kept_vs_other"] is not None:
        parts.append(f"{'+'.join(stats['kept'])} vs other {held['kept_vs_other']:.1%}")
    return "discriminator: " + ", ".join(parts)


def build(files: Mapping[str, Iterable[tuple[str, str]]], settings: Settings, kept: Iterable[str],
          output: str | Path) -> dict:
    """Read the labelled files, train on all but the held-out share, save the model to
    ``output`` and return its statistics (what it learned from, how it did held out)."""
    examples, heldout = labelled_examples(files, settings)
    empty = sorted(lang for lang, sents in examples.items() if not sents)
    if empty:
        raise InputError(f"no training sentence left for {', '.join(empty)} once {settings.heldout:.0%} are held out")
    train(examples, settings, output)
    kept = [lang for lang in kept if lang in examples]
    return {
        "kept": kept,
        "train": {lang: {"sentences": len(s), "words": sum(word_count(t) for t in s)} for lang, s in examples.items()},
        "heldout": evaluate(Discriminator(output), heldout, kept),
    }


if __name__ == "__main__":  # the fresh process of train()
    _train_file(sys.argv[1], sys.argv[2], Settings(**json.loads(sys.argv[3])))
