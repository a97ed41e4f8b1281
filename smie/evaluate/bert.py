"""Fine-tuning a BERT (any Hugging Face directory) for PoS tagging and sentence classification.

The NorBERT evaluation setting: the whole model is fine-tuned, a tagger predicts
each word's tag from its first subword, a classifier reads the [CLS] vector.
Each epoch ends with a dev evaluation; the weights of the best dev epoch are
the ones scored on test, once. The minutes are the wall-clock time of the
fine-tuning itself (training and dev evaluations), as the NorELMo table reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch

from smie.evaluate.data import LabelledSentence, TaggedSentence
from smie.evaluate.fitting import IGNORE, Result, device, fit, shuffled_batches
from smie.evaluate.metrics import Scorer, macro_f1, tag_accuracy



@dataclass(frozen=True)
class FineTuning:
    """Fine-tuning settings (config: ``evaluate.bert``)."""

    epochs: int = 3
    batch_size: int = 32
    lr: float = 5e-5
    warmup: float = 0.1
    weight_decay: float = 0.01
    max_length: int = 256


def _pad(rows: list[list[int]], value: int) -> torch.Tensor:
    width = max(len(r) for r in rows)
    return torch.tensor([r + [value] * (width - len(r)) for r in rows])


def _loss(model):
    """The mean loss of a batch of inputs, on the model's device."""
    return lambda inputs: model(**{k: v.to(model.device) for k, v in inputs.items()}).loss


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


def finetune_tagger(model_dir: str, train: Sequence[TaggedSentence], dev: Sequence[TaggedSentence],
                    test: Sequence[TaggedSentence] | None, settings: FineTuning, seed: int, log=None,
                    scorer: Scorer = tag_accuracy) -> Result:
    """The score (tag accuracy unless ``scorer`` says otherwise) of the model fine-tuned
    as a tagger on train (best epoch on dev)."""
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    tags = sorted({t for s in train for t in s.tags} | {t for s in dev for t in s.tags})
    tag_ids = {t: i for i, t in enumerate(tags)}
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    torch.manual_seed(seed)
    model = AutoModelForTokenClassification.from_pretrained(
        model_dir, num_labels=len(tags), id2label=dict(enumerate(tags)), label2id=tag_ids).to(device())
    train_items = encode_tagging(tokenizer, train, tag_ids, settings.max_length)
    pad = tokenizer.pad_token_id

    def batches(epoch):
        out = []
        for idx in shuffled_batches(len(train_items), settings.batch_size, seed, epoch):
            ids = _pad([train_items[i][0] for i in idx], pad)
            out.append({"input_ids": ids, "attention_mask": (ids != pad).long(),
                        "labels": _pad([train_items[i][1] for i in idx], IGNORE)})
        return out

    @torch.no_grad()
    def score(sentences) -> float:
        model.eval()
        items = encode_tagging(tokenizer, sentences, {t: tag_ids.get(t, 0) for s in sentences for t in s.tags},
                               settings.max_length)
        predicted = []
        for start in range(0, len(items), settings.batch_size):
            chunk = items[start:start + settings.batch_size]
            ids = _pad([c[0] for c in chunk], pad).to(model.device)
            best = model(input_ids=ids, attention_mask=(ids != pad).long()).logits.argmax(-1).tolist()
            for (_, _, positions), row in zip(chunk, best):
                predicted.append([tags[row[p]] if p is not None else None for p in positions])
        return scorer(sentences, predicted)

    dev_score, epoch, weights, seconds = fit(model, _loss(model), batches, lambda: score(dev), settings, seed, log)
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
        model_dir, num_labels=len(labels), id2label=dict(enumerate(labels)), label2id=label_ids).to(device())

    def encode(sentences):
        return tokenizer([s.text for s in sentences], truncation=True, max_length=settings.max_length)["input_ids"]

    train_ids = encode(train)
    pad = tokenizer.pad_token_id

    def batches(epoch):
        out = []
        for idx in shuffled_batches(len(train), settings.batch_size, seed, epoch):
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

    dev_score, epoch, weights, seconds = fit(model, _loss(model), batches, lambda: score(dev), settings, seed, log)
    model.load_state_dict(weights)
    return Result(dev_score, score(test) if test else None, epoch, seconds / 60)
