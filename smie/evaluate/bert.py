"""Fine-tuning a BERT (any Hugging Face directory) for PoS tagging and sentence classification.

The NorBERT evaluation setting: the whole model is fine-tuned, a tagger predicts
each word's tag from its first subword, a classifier reads the [CLS] vector.
Each epoch ends with a dev evaluation; the weights of the best dev epoch are
the ones scored on test, once. The minutes are the wall-clock time of the
fine-tuning itself (training and dev evaluations), as the NorELMo table reports.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import torch

from smie.evaluate.data import LabelledSentence, TaggedSentence
from smie.evaluate.metrics import accuracy, macro_f1
from smie.training import learning_rate

IGNORE = -100


@dataclass(frozen=True)
class FineTuning:
    """Fine-tuning settings (config: ``evaluate.bert``)."""

    epochs: int = 3
    batch_size: int = 32
    lr: float = 5e-5
    warmup: float = 0.1
    weight_decay: float = 0.01
    max_length: int = 256


@dataclass(frozen=True)
class Result:
    dev: float
    test: float | None
    best_epoch: int
    minutes: float


def _device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _pad(rows: list[list[int]], value: int) -> torch.Tensor:
    width = max(len(r) for r in rows)
    return torch.tensor([r + [value] * (width - len(r)) for r in rows])


def encode_tagging(tokenizer, sentences: Sequence[TaggedSentence], tag_ids: dict[str, int], max_length: int):
    """Token ids and labels per sentence: each word's tag on its first subword, IGNORE elsewhere.

    Also returns, per sentence, the token position of each word (None where
    truncation cut the word off: it is scored as wrong).
    """
    encoded = tokenizer([list(s.words) for s in sentences], is_split_into_words=True, truncation=True,
                        max_length=max_length)
    items = []
    for i, s in enumerate(sentences):
        word_ids = encoded.word_ids(i)
        first = {}
        for pos, w in enumerate(word_ids):
            if w is not None and w not in first:
                first[w] = pos
        labels = [IGNORE] * len(word_ids)
        for w, pos in first.items():
            labels[pos] = tag_ids[s.tags[w]]
        items.append((encoded["input_ids"][i], labels, [first.get(w) for w in range(len(s.words))]))
    return items


def _fit(model, batches: Callable[[int], list], evaluate: Callable[[], float], settings: FineTuning, seed: int,
         log) -> tuple[float, int, dict, float]:
    """Train for the epochs; return the best dev score, its epoch, its weights and the seconds it took."""
    device = next(model.parameters()).device
    decay = [p for p in model.parameters() if p.ndim >= 2]
    rest = [p for p in model.parameters() if p.ndim < 2]
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
            loss = model(**{k: v.to(device) for k, v in inputs.items()}).loss
            loss.backward()
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


def _shuffled_batches(n: int, size: int, seed: int, epoch: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed * 1000 + epoch).shuffle(order)
    return [order[i:i + size] for i in range(0, n, size)]


def finetune_tagger(model_dir: str, train: Sequence[TaggedSentence], dev: Sequence[TaggedSentence],
                    test: Sequence[TaggedSentence] | None, settings: FineTuning, seed: int, log=None) -> Result:
    """UPOS accuracy of the model fine-tuned on train (best epoch on dev)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    tags = sorted({t for s in train for t in s.tags} | {t for s in dev for t in s.tags})
    tag_ids = {t: i for i, t in enumerate(tags)}
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    torch.manual_seed(seed)
    model = AutoModelForTokenClassification.from_pretrained(
        model_dir, num_labels=len(tags), id2label=dict(enumerate(tags)), label2id=tag_ids).to(_device())
    train_items = encode_tagging(tokenizer, train, tag_ids, settings.max_length)
    pad = tokenizer.pad_token_id

    def batches(epoch):
        out = []
        for idx in _shuffled_batches(len(train_items), settings.batch_size, seed, epoch):
            ids = _pad([train_items[i][0] for i in idx], pad)
            out.append({"input_ids": ids, "attention_mask": (ids != pad).long(),
                        "labels": _pad([train_items[i][1] for i in idx], IGNORE)})
        return out

    @torch.no_grad()
    def score(sentences) -> float:
        model.eval()
        items = encode_tagging(tokenizer, sentences, {t: tag_ids.get(t, 0) for s in sentences for t in s.tags},
                               settings.max_length)
        gold, predicted = [], []
        for start in range(0, len(items), settings.batch_size):
            chunk = items[start:start + settings.batch_size]
            ids = _pad([c[0] for c in chunk], pad).to(model.device)
            best = model(input_ids=ids, attention_mask=(ids != pad).long()).logits.argmax(-1).tolist()
            for (_, _, positions), row, s in zip(chunk, best, sentences[start:start + settings.batch_size]):
                gold.extend(s.tags)
                predicted.extend(tags[row[p]] if p is not None else None for p in positions)
        return accuracy(gold, predicted)

    dev_score, epoch, weights, seconds = _fit(model, batches, lambda: score(dev), settings, seed, log)
    model.load_state_dict(weights)
    return Result(dev_score, score(test) if test else None, epoch, seconds / 60)


def finetune_classifier(model_dir: str, train: Sequence[LabelledSentence], dev: Sequence[LabelledSentence],
                        test: Sequence[LabelledSentence] | None, labels: Sequence[str], settings: FineTuning,
                        seed: int, log=None) -> Result:
    """Macro F1 of the model fine-tuned as a [CLS] classifier on train (best epoch on dev)."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    label_ids = {label: i for i, label in enumerate(labels)}
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    torch.manual_seed(seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        model_dir, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label_ids).to(_device())

    def encode(sentences):
        return tokenizer([s.text for s in sentences], truncation=True, max_length=settings.max_length)["input_ids"]

    train_ids = encode(train)
    pad = tokenizer.pad_token_id

    def batches(epoch):
        out = []
        for idx in _shuffled_batches(len(train), settings.batch_size, seed, epoch):
            ids = _pad([train_ids[i] for i in idx], pad)
            out.append({"input_ids": ids, "attention_mask": (ids != pad).long(),
                        "labels": torch.tensor([label_ids[train[i].label] for i in idx])})
        return out

    @torch.no_grad()
    def score(sentences) -> float:
        model.eval()
        ids_all = encode(sentences)
        predicted = []
        for start in range(0, len(ids_all), settings.batch_size):
            ids = _pad(ids_all[start:start + settings.batch_size], pad).to(model.device)
            predicted += [labels[i] for i in model(input_ids=ids, attention_mask=(ids != pad).long()).logits.argmax(-1).tolist()]
        return macro_f1([s.label for s in sentences], predicted, labels)

    dev_score, epoch, weights, seconds = _fit(model, batches, lambda: score(dev), settings, seed, log)
    model.load_state_dict(weights)
    return Result(dev_score, score(test) if test else None, epoch, seconds / 60)
