"""BERT pretraining data: the `sentences` corpus as fixed-length token-id sequences.

One shard of the udpipe stage's ``sentences`` corpus (one sentence per line, a
blank line between documents) becomes two NumPy files that training memory-maps:

- ``ids``: [N, seq_length] token ids (uint16 when the vocabulary fits, else
  uint32), ``[CLS] A [SEP]`` or ``[CLS] A [SEP] B [SEP]``, padded with [PAD];
- ``nsp``: int8 [N], 1 where B is a random segment from another document, 0
  where B continues A, -100 (ignored) when sequences are built without pairs.

Sequences never cross a document boundary. They are built as in the original
BERT data pipeline: sentences of one document are gathered until a target
length (the full length, or with ``short_seq_prob`` a random shorter one, so the
model also sees short inputs); with next-sentence prediction the gathered
sentences are cut at a random sentence into A and B, and half the time B is
replaced by sentences from another document of the shard (the sentences it
replaced are used for the next sequence); what exceeds the length is cut, as
BERT does. Without it, whole sentences are packed into one segment up to the
target length, as RoBERTa trains, and a sentence longer than a sequence is split.

Masking is not done here: training masks each batch afresh (smie/bert/masking.py).
Randomness is seeded by the shard's name, so a shard always gives the same file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from smie.documents import InputError
from smie.settings import from_config

IGNORE = -100  # labels ignored by the losses


@dataclass(frozen=True)
class DataSettings:
    """How sequences are built (config: ``bert.data``).

    short_seq_prob: share of sequences given a random shorter target length
        (BERT and NVIDIA: 0.1).
    seed: with the shard's name, seeds the shard's sequence building.
    """

    short_seq_prob: float = 0.1
    seed: int = 12345

    @classmethod
    def from_dict(cls, d: dict | None) -> "DataSettings":
        return from_config(cls, d, "bert.data")


def shard_seed(seed: int, name: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"{seed}/{name}".encode(), digest_size=8).digest(), "little")


def read_documents(path: str | Path) -> Iterator[list[str]]:
    """The documents of a sentences file, each a list of its sentences."""
    doc: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                doc.append(line)
            elif doc:
                yield doc
                doc = []
    if doc:
        yield doc


def tokenize_documents(path: str | Path, tokenizer, batch_size: int = 2000) -> list[list[np.ndarray]]:
    """Every document of a shard as a list of token-id arrays, one per sentence.

    Sentences are encoded in batches (the fast tokenizer's threads), without
    special tokens; empty encodings (text the vocabulary cannot represent) are dropped.
    """
    docs = list(read_documents(path))
    flat = [s for doc in docs for s in doc]
    encoded: list[np.ndarray] = []
    for start in range(0, len(flat), batch_size):
        batch = tokenizer.encode_batch(flat[start:start + batch_size], add_special_tokens=False)
        encoded.extend(np.asarray(e.ids, dtype=np.int32) for e in batch)
    out, i = [], 0
    for doc in docs:
        sentences = [s for s in encoded[i:i + len(doc)] if len(s)]
        i += len(doc)
        if sentences:
            out.append(sentences)
    return out


def _truncate_pair(a: list[int], b: list[int], limit: int, rng: np.random.Generator) -> None:
    """Cut the longer segment, from a random end, until the pair fits."""
    while len(a) + len(b) > limit:
        longer = a if len(a) > len(b) else b
        if rng.random() < 0.5:
            del longer[0]
        else:
            longer.pop()


def build_sequences(docs: list[list[np.ndarray]], seq_length: int, nsp: bool,
                    settings: DataSettings, rng: np.random.Generator) -> Iterator[tuple[list[int], list[int], int]]:
    """(segment A, segment B, next-sentence label) for every sequence of the documents."""
    limit = seq_length - (3 if nsp else 2)  # room for [CLS], [SEP] (and the second [SEP])
    if limit < 2:
        raise ValueError(f"bert: seq_length {seq_length} leaves no room for text")

    def target() -> int:
        return limit if rng.random() >= settings.short_seq_prob else int(rng.integers(2, limit + 1))

    for d, doc in enumerate(docs):
        if nsp:
            yield from _pairs(docs, d, limit, target, rng)
        else:
            yield from ((a, [], IGNORE) for a in _segments(doc, limit, target))


def _segments(doc: list[np.ndarray], limit: int, target) -> Iterator[list[int]]:
    """Whole sentences packed up to a target length; a sentence longer than a sequence is split."""
    chunk: list[int] = []
    want = target()
    for sentence in doc:
        pieces = [sentence[i:i + limit] for i in range(0, len(sentence), limit)]
        for piece in pieces:
            if chunk and len(chunk) + len(piece) > want:
                yield chunk
                chunk, want = [], target()
            chunk.extend(piece.tolist())
    if chunk:
        yield chunk


def _pairs(docs: list[list[np.ndarray]], d: int, limit: int, target,
           rng: np.random.Generator) -> Iterator[tuple[list[int], list[int], int]]:
    """Sentence pairs of document d, as BERT builds them for next-sentence prediction."""
    doc = docs[d]
    chunk: list[np.ndarray] = []
    length, want = 0, target()
    i = 0
    while i < len(doc):
        chunk.append(doc[i])
        length += len(doc[i])
        if i == len(doc) - 1 or length >= want:
            cut = int(rng.integers(1, len(chunk))) if len(chunk) > 1 else 1
            a = [t for s in chunk[:cut] for t in s.tolist()]
            if (len(chunk) == 1 or rng.random() < 0.5) and len(docs) > 1:
                other = int(rng.integers(0, len(docs) - 1))
                other += other >= d  # any document but this one
                b: list[int] = []
                for s in docs[other][int(rng.integers(0, len(docs[other]))):]:
                    b.extend(s.tolist())
                    if len(a) + len(b) >= want:
                        break
                i -= len(chunk) - cut  # the sentences B replaced start the next sequence
                label = 1
            else:
                b = [t for s in chunk[cut:] for t in s.tolist()]
                label = 0 if b else IGNORE  # a lone sentence in a one-document shard: no pair
            _truncate_pair(a, b, limit, rng)
            yield a, b, label
            chunk, length, want = [], 0, target()
        i += 1


@dataclass(frozen=True)
class SpecialIds:
    pad: int
    cls: int
    sep: int

    @classmethod
    def of(cls, tokenizer) -> "SpecialIds":
        ids = [tokenizer.token_to_id(t) for t in ("[PAD]", "[CLS]", "[SEP]")]
        if None in ids:
            raise InputError("the tokenizer lacks one of [PAD] [CLS] [SEP]: not a BERT WordPiece vocabulary")
        return cls(*ids)


def write_shard(sentences_path: str | Path, tokenizer, seq_length: int, nsp: bool, settings: DataSettings,
                ids_path: str | Path, nsp_path: str | Path, name: str) -> dict:
    """Build one shard's sequences; return its statistics."""
    special = SpecialIds.of(tokenizer)
    dtype = np.uint16 if tokenizer.get_vocab_size() <= 1 << 16 else np.uint32
    docs = tokenize_documents(sentences_path, tokenizer)
    rng = np.random.default_rng(shard_seed(settings.seed, name))
    blocks, block, labels = [], np.full((4096, seq_length), special.pad, dtype=dtype), []
    for a, b, label in build_sequences(docs, seq_length, nsp, settings, rng):
        row = [special.cls, *a, special.sep] + ([*b, special.sep] if b else [])
        block[len(labels) % len(block), :len(row)] = row
        labels.append(label)
        if len(labels) % len(block) == 0:  # rows as compact arrays, not Python lists
            blocks.append(block)
            block = np.full_like(block, special.pad)
    blocks.append(block[: len(labels) % len(block)])
    ids = np.concatenate(blocks)
    np.save(ids_path, ids)
    np.save(nsp_path, np.asarray(labels, dtype=np.int8))
    tokens = int((ids != special.pad).sum())
    return {
        "shard": name,
        "documents": len(docs),
        "sentences": sum(len(d) for d in docs),
        "sequences": len(labels),
        "tokens": tokens,
        "padding": round(1.0 - tokens / max(1, ids.size), 4),
        "random_next": int(sum(1 for x in labels if x == 1)),
        "seq_length": seq_length,
    }


class Sequences:
    """The sequences of many shards, memory-mapped, read in a seeded order.

    Position p of the run (counting sequences over all steps and ranks) is
    sequence ``order(p // N)[p % N]``: a fresh permutation per epoch, so a run
    resumed at a step reads exactly what the uninterrupted run read next. The
    order takes 8 bytes per sequence; the token ids stay on disk.
    """

    def __init__(self, id_paths: list[str | Path], nsp_paths: list[str | Path], seed: int):
        self.ids = [np.load(p, mmap_mode="r") for p in id_paths]
        self.nsp = [np.load(p, mmap_mode="r") for p in nsp_paths]
        for path, ids, nsp in zip(id_paths, self.ids, self.nsp):
            if ids.ndim != 2 or len(nsp) != len(ids):
                raise InputError(f"{path}: not a pretraining shard (ids {ids.shape}, nsp {nsp.shape})")
        lengths = {ids.shape[1] for ids in self.ids if len(ids)}
        if len(lengths) > 1:
            raise InputError(f"pretraining shards of different sequence lengths: {sorted(lengths)}")
        self.seq_length = lengths.pop() if lengths else 0
        self.offsets = np.cumsum([0] + [len(x) for x in self.ids])
        self.size = int(self.offsets[-1])
        if self.size == 0:
            raise InputError(f"no sequences in {len(id_paths)} pretraining shards")
        self.seed = seed
        self._epoch, self._order = -1, None

    def order(self, epoch: int) -> np.ndarray:
        if epoch != self._epoch:
            self._order = np.random.default_rng([self.seed, epoch]).permutation(self.size)
            self._epoch = epoch
        return self._order

    def batch(self, start: int, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Token ids [count, seq_length] (int64) and NSP labels of positions start..start+count."""
        positions = np.arange(start, start + count)
        index = np.empty(count, dtype=np.int64)
        for epoch in np.unique(positions // self.size):
            sel = positions // self.size == epoch
            index[sel] = self.order(int(epoch))[positions[sel] % self.size]
        shard = np.searchsorted(self.offsets, index, side="right") - 1
        row = index - self.offsets[shard]
        ids = np.stack([self.ids[s][r] for s, r in zip(shard, row)]).astype(np.int64)
        nsp = np.array([self.nsp[s][r] for s, r in zip(shard, row)], dtype=np.int64)
        return ids, nsp


def read_stats(paths: list[str | Path]) -> list[dict]:
    return [json.loads(Path(p).read_text()) for p in paths]
