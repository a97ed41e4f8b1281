"""Frozen ELMo with a small model trained on top: NorELMo's evaluation setting.

The export (smie's or any bilm-tf dump of the architecture) is read by smie's
Embedder and run once over every sentence; its weights never change. A token's
vector is the average of ELMo's layers (or the top layer: ``evaluate.elmo.layers``).

- PoS tagging: a one-layer BiLSTM over the sentence's token vectors and a linear
  layer per word. Words are the treebank's, as ELMo was trained on UDPipe tokens.
- Sentence classification: the mean of the token vectors, then one hidden layer.
- Both standardize their input with the training data's mean and deviation.
  NoReC sentence texts are tokenized (tokens separated by spaces), so they are
  split on spaces.

The minutes are the embedding of the data plus the training of the model on top.
A model trained on lemmas reads word forms here (the evaluation sets are not
lemmatized), so its scores understate what it reaches on lemmatized input.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Sequence

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from smie.elmo.embedder import Embedder
from smie.evaluate.data import LabelledSentence, TaggedSentence
from smie.evaluate.fitting import IGNORE, Result, device, fit, shuffled_batches
from smie.evaluate.metrics import Scorer, macro_f1, tag_accuracy



@dataclass(frozen=True)
class Probing:
    """Training of the model on top of frozen ELMo (config: ``evaluate.elmo``)."""

    epochs: int = 20
    batch_size: int = 32
    lr: float = 1.0e-3
    warmup: float = 0.0
    weight_decay: float = 0.0
    hidden: int = 128
    dropout: float = 0.2
    layers: str = "average"

    def __post_init__(self):
        if self.layers not in ("average", "top"):
            raise ValueError(f"evaluate.elmo.layers must be average or top, not {self.layers!r}")


def embed(embedder: Embedder, sentences: Sequence[Sequence[str]], layers: str) -> list[torch.Tensor]:
    """One float32 tensor [tokens, dim] per sentence, on the embedder's device."""
    return [torch.from_numpy(v).to(embedder.device) for v in embedder([list(s) for s in sentences], layers=layers)]


def _padded(vectors: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([len(v) for v in vectors])
    out = vectors[0].new_zeros(len(vectors), max(1, int(lengths.max())), vectors[0].shape[-1])
    for i, v in enumerate(vectors):
        out[i, : len(v)] = v
    return out, lengths


class Standardize(nn.Module):
    """A fixed z-score per dimension, from the training data's statistics. The
    differences that matter (one word's vector in a sentence's mean) are small
    beside the dimensions' own spread; unscaled, the model on top barely moves
    from chance in the epochs a probe gets."""

    def __init__(self, features: torch.Tensor):
        super().__init__()
        self.register_buffer("mean", features.mean(0))
        self.register_buffer("std", features.std(0).clamp(min=1e-6))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


def mean_pool(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """The mean of each sentence's real token vectors (zeros for a sentence without tokens)."""
    return x.sum(1) / lengths.clamp(min=1)[:, None].to(x.device, x.dtype)


class Tagger(nn.Module):
    """A one-layer BiLSTM over standardized token vectors, a linear layer per token."""

    def __init__(self, train: list[torch.Tensor], hidden: int, n_tags: int, dropout: float):
        super().__init__()
        tokens = torch.cat(train)
        self.scale = Standardize(tokens)
        self.dropout = nn.Dropout(dropout)
        self.lstm = nn.LSTM(tokens.shape[1], hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, n_tags)

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        packed = pack_padded_sequence(self.dropout(self.scale(x)), lengths.clamp(min=1).cpu(), batch_first=True,
                                      enforce_sorted=False)
        h, _ = pad_packed_sequence(self.lstm(packed)[0], batch_first=True, total_length=x.shape[1])
        return self.out(self.dropout(h))


class Classifier(nn.Module):
    """One hidden layer over the standardized mean of a sentence's token vectors."""

    def __init__(self, train: list[torch.Tensor], hidden: int, n_labels: int, dropout: float):
        super().__init__()
        pooled = mean_pool(*_padded(train))
        self.scale = Standardize(pooled)
        self.net = nn.Sequential(nn.Dropout(dropout), nn.Linear(pooled.shape[1], hidden), nn.ReLU(),
                                 nn.Dropout(dropout), nn.Linear(hidden, n_labels))

    def forward(self, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        return self.net(self.scale(mean_pool(x, lengths)))


def _run(model_dir: str, splits, tokens, head_for, targets_of, predict_scores, settings: Probing, seed: int, log):
    """Embed the splits, train the head on train (best epoch on dev), score test."""
    dev_ = device()
    start = time.perf_counter()
    train, dev, test = splits
    embedder = Embedder(model_dir, device=str(dev_))
    vectors = [embed(embedder, [tokens(s) for s in part], settings.layers) if part else None
               for part in (train, dev, test)]
    embed_seconds = time.perf_counter() - start
    if log:
        print(f"smie: embedded {sum(len(p) for p in splits if p)} sentences in {embed_seconds:.1f} s", file=log)
    torch.manual_seed(seed)
    head = head_for(vectors[0]).to(dev_)
    targets = targets_of(train)

    def batches(epoch):
        out = []
        for idx in shuffled_batches(len(train), settings.batch_size, seed, epoch):
            x, lengths = _padded([vectors[0][i] for i in idx])
            out.append({"x": x, "lengths": lengths, "targets": targets(idx, x.shape[1]).to(dev_)})
        return out

    def loss(inputs):
        logits = head(inputs["x"], inputs["lengths"])
        return nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), inputs["targets"].reshape(-1),
                                           ignore_index=IGNORE)

    @torch.no_grad()
    def score(k: int) -> float:
        head.eval()
        part, vecs = splits[k], vectors[k]
        predictions = []
        for i in range(0, len(part), settings.batch_size):
            x, lengths = _padded(vecs[i : i + settings.batch_size])
            predictions += list(head(x, lengths).argmax(-1).cpu())
        return predict_scores(part, predictions)

    dev_score, epoch, weights, seconds = fit(head, loss, batches, lambda: score(1), settings, seed, log)
    head.load_state_dict(weights)
    return Result(dev_score, score(2) if test else None, epoch, (embed_seconds + seconds) / 60)


def train_tagger(model_dir: str, train: Sequence[TaggedSentence], dev: Sequence[TaggedSentence],
                 test: Sequence[TaggedSentence] | None, settings: Probing, seed: int, log=None,
                 scorer: Scorer = tag_accuracy) -> Result:
    """The score (tag accuracy unless ``scorer`` says otherwise) of a BiLSTM tagger on
    frozen ELMo vectors (best epoch on dev)."""
    tags = sorted({t for s in train for t in s.tags} | {t for s in dev for t in s.tags})
    tag_ids = {t: i for i, t in enumerate(tags)}

    def targets_of(sentences):
        def targets(idx, width):
            out = torch.full((len(idx), width), IGNORE)
            for row, i in enumerate(idx):
                out[row, : len(sentences[i].tags)] = torch.tensor([tag_ids[t] for t in sentences[i].tags])
            return out
        return targets

    def scores(sentences, predictions):
        return scorer(sentences, [[tags[int(p)] for p in row[: len(s.tags)]] for s, row in zip(sentences, predictions)])

    return _run(model_dir, (train, dev, test), lambda s: s.words,
                lambda train_vectors: Tagger(train_vectors, settings.hidden, len(tags), settings.dropout),
                targets_of, scores, settings, seed, log)


def train_classifier(model_dir: str, train: Sequence[LabelledSentence], dev: Sequence[LabelledSentence],
                     test: Sequence[LabelledSentence] | None, labels: Sequence[str], settings: Probing,
                     seed: int, log=None) -> Result:
    """Macro F1 of a classifier on mean-pooled frozen ELMo vectors (best epoch on dev)."""
    label_ids = {label: i for i, label in enumerate(labels)}

    def targets_of(sentences):
        return lambda idx, width: torch.tensor([label_ids[sentences[i].label] for i in idx])

    def scores(sentences, predictions):
        return macro_f1([s.label for s in sentences], [labels[int(p)] for p in predictions], labels)

    return _run(model_dir, (train, dev, test), lambda s: s.text.split(),
                lambda train_vectors: Classifier(train_vectors, settings.hidden, len(labels), settings.dropout),
                targets_of, scores, settings, seed, log)

