"""Training sentences for the biLM: a deterministic, resumable stream of batches.

Every sentence of the ``tokens`` (or ``lemmas``) corpus is one training example,
wrapped in <S> ... </S> and run from a zero LSTM state. bilm-tf instead cut one
running stream into windows of 20 tokens and carried the LSTM state across
batches; ELMo is then used sentence by sentence from a zero state (simple_elmo,
AllenNLP), so bilm-tf's models meet at inference a condition they never trained
on. Whole sentences train exactly the condition of use, make a batch
independent of the previous one (so resuming needs no LSTM state and DDP ranks
need no coordination) and keep the two directions on the same text. Sentences
longer than ``max_tokens`` are cut into pieces.

A sentence goes to the held-out set by a hash of its text (as the WordPiece
vocabularies' held-out lines are chosen), never to training.

Order: epoch e reads the shards in an order shuffled by (seed, e), fills a
buffer of ``buffer_batches`` x ``batch_size`` sentences, shuffles it, sorts it by
length (so a batch pads little) and yields its batches in shuffled order. Batch i
of epoch e is therefore a pure function of (files, settings, e, i): a resumed run
regenerates the epoch and skips the batches already trained on. The last
incomplete batch of an epoch is dropped.
"""

from __future__ import annotations

import gzip
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from smie.documents import InputError
from smie.elmo.chars import BOS, EOS, CharIds
from smie.vocab import ELMO_SPECIALS, is_heldout

UNK = "<UNK>"


class Vocabulary:
    """An ELMo vocab.txt: <S>, </S>, <UNK>, then words by falling frequency."""

    def __init__(self, words: list[str], path: str | Path = "vocab.txt"):
        if words[:3] != ELMO_SPECIALS:
            raise InputError(f"{path}: an ELMo vocabulary starts with the lines {' '.join(ELMO_SPECIALS)}, "
                             f"this one with {' '.join(words[:3]) or 'nothing'}")
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}
        if len(self.index) != len(words):
            dupes = sorted({w for w in words if words.count(w) > 1})[:5]
            raise InputError(f"{path}: words listed more than once: {' '.join(dupes)}")
        self.unk = self.index[UNK]

    @classmethod
    def read(cls, path: str | Path) -> "Vocabulary":
        try:
            words = Path(path).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(f"{path}: cannot read the vocabulary: {error}") from error
        if words and words[-1] == "":
            words.pop()
        bad = next((n for n, w in enumerate(words, 1) if not w.strip() or w != w.strip() or " " in w), None)
        if bad:
            raise InputError(f"{path}: line {bad} is not one word")
        return cls(words, path)

    def __len__(self) -> int:
        return len(self.words)

    def ids(self, sentences: list[list[str]], length: int) -> np.ndarray:
        """Word ids [sentences, length] of <S> sentence </S>, zero-padded."""
        out = np.zeros((len(sentences), length), dtype=np.int64)
        get = self.index.get
        for row, sentence in enumerate(sentences):
            out[row, : len(sentence) + 2] = [get(w, self.unk) for w in (BOS, *sentence, EOS)]
        return out


@dataclass(frozen=True)
class Batching:
    batch_size: int  # sentences per optimizer step, all processes together
    max_tokens: int = 100
    heldout: float = 0.001
    heldout_max: int = 5000  # held-out sentences evaluated (the first ones in corpus order)
    buffer_batches: int = 500
    seed: int = 42


def _lines(path: Path) -> Iterator[str]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            yield from f
    except (OSError, EOFError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the corpus: {error}") from error


def pieces(tokens: list[str], max_tokens: int) -> Iterator[list[str]]:
    for start in range(0, len(tokens), max_tokens):
        yield tokens[start : start + max_tokens]


class Corpus:
    """The training and held-out sentences of a set of corpus files."""

    def __init__(self, paths: Sequence[str | Path], settings: Batching):
        if not paths:
            raise InputError("elmo: no corpus files")
        self.paths = [Path(p) for p in paths]
        self.settings = settings
        self.heldout: list[list[str]] = []
        self.train_sentences = 0
        self.train_tokens = 0
        for tokens, heldout in self._sentences(self.paths):
            if heldout:
                if len(self.heldout) < settings.heldout_max:
                    self.heldout.append(tokens)
            else:
                self.train_sentences += 1
                self.train_tokens += len(tokens)
        if self.train_sentences < settings.batch_size:
            raise InputError(f"elmo: {len(self.paths)} corpus file(s) ({self.paths[0]}, ...) hold "
                             f"{self.train_sentences} training sentences, fewer than one batch ({settings.batch_size})")
        size = settings.batch_size * settings.buffer_batches
        full, rest = divmod(self.train_sentences, size)
        self.steps_per_epoch = full * settings.buffer_batches + rest // settings.batch_size

    def _sentences(self, paths) -> Iterator[tuple[list[str], bool]]:
        """(sentence piece, held out?) for every sentence of the files, in order."""
        s = self.settings
        for path in paths:
            for line in _lines(path):
                tokens = line.split()  # as count_words and bilm-tf split
                if not tokens:
                    continue  # the blank line between documents
                heldout = s.heldout > 0 and is_heldout(line.rstrip("\n"), s.heldout)
                for piece in pieces(tokens, s.max_tokens):
                    yield piece, heldout

    def batches(self, epoch: int, start: int = 0) -> Iterator[list[list[str]]]:
        """The global batches of ``epoch`` from batch ``start`` on (earlier ones are skipped unbuilt)."""
        s = self.settings
        order = list(self.paths)
        random.Random(f"{s.seed}/{epoch}/files").shuffle(order)
        size = s.batch_size * s.buffer_batches
        index = 0
        buffer: list[list[str]] = []

        def flush(number: int):
            nonlocal index
            n = len(buffer) // s.batch_size
            if index + n <= start:  # nothing wanted from this buffer: skip the shuffling too
                index += n
                return
            rng = random.Random(f"{s.seed}/{epoch}/{number}")
            rng.shuffle(buffer)
            buffer.sort(key=len)
            batches = [buffer[k * s.batch_size : (k + 1) * s.batch_size] for k in range(n)]
            rng.shuffle(batches)
            for batch in batches:
                if index >= start:
                    yield batch
                index += 1

        number = 0
        for tokens, heldout in self._sentences(order):
            if not heldout:
                buffer.append(tokens)
                if len(buffer) == size:
                    yield from flush(number)
                    buffer, number = [], number + 1
        yield from flush(number)


def shard(batch: list[list[str]], rank: int, world: int) -> list[list[str]]:
    """This process's part of a global batch (sorted by length: the parts pad alike)."""
    return batch[rank::world]


class Encoder:
    """Sentences -> the arrays the model reads: the distinct words' character ids,
    each position's word among them, vocabulary ids, lengths."""

    def __init__(self, vocab: Vocabulary, max_chars: int):
        self.vocab = vocab
        self.chars = CharIds(max_chars)

    def __call__(self, sentences: list[list[str]]):
        chars, index, lengths = self.chars.batch(sentences)
        return chars, index, self.vocab.ids(sentences, index.shape[1]), lengths
