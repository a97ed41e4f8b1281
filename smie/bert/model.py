"""The BERT that smie pretrains: transformers' own classes, a leaner loss, a FLOP count.

The model is ``BertForPreTraining`` (MLM + next-sentence prediction) or
``BertForMaskedLM`` (MLM only), so that the export is plain Hugging Face. The
loss runs the encoder through the model's own modules but applies the MLM head
(hidden x vocabulary, the largest matrix product of a small BERT) only to the
~15% of positions that carry a label, as NVIDIA's BERT does, instead of to every
position as ``model(**batch, labels=...)`` would.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from transformers import BertConfig, BertForMaskedLM, BertForPreTraining

from smie.bert.data import IGNORE


@dataclass(frozen=True)
class Size:
    """An architecture (config: ``bert.sizes``)."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    dropout: float = 0.1
    max_positions: int = 512

    def bert_config(self, vocab_size: int, pad_id: int) -> BertConfig:
        return BertConfig(
            vocab_size=vocab_size, hidden_size=self.hidden, num_hidden_layers=self.layers,
            num_attention_heads=self.heads, intermediate_size=self.intermediate,
            hidden_dropout_prob=self.dropout, attention_probs_dropout_prob=self.dropout,
            max_position_embeddings=self.max_positions, type_vocab_size=2, pad_token_id=pad_id,
        )


def new_model(config: BertConfig, nsp: bool):
    cls = BertForPreTraining if nsp else BertForMaskedLM
    return cls._from_config(config, attn_implementation="sdpa")


def load_model(directory: str, nsp: bool):
    cls = BertForPreTraining if nsp else BertForMaskedLM
    return cls.from_pretrained(directory, attn_implementation="sdpa")


class PretrainingLoss(torch.nn.Module):
    """MLM (+ NSP) loss of a batch; the module DDP wraps, so gradients are synchronised."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.nsp = isinstance(model, BertForPreTraining)

    def forward(self, inputs, labels, token_types, attention, nsp_labels):
        out = self.model.bert(input_ids=inputs, attention_mask=attention, token_type_ids=token_types)
        selected = labels != IGNORE
        logits = self.model.cls.predictions(out.last_hidden_state[selected])
        mlm = F.cross_entropy(logits.float(), labels[selected])
        if not self.nsp:
            return mlm, mlm.detach(), None
        nsp_logits = self.model.cls.seq_relationship(out.pooler_output)
        # a mean over the labelled sequences only; 0 (not NaN) for a batch without pairs
        paired = (nsp_labels != IGNORE).sum().clamp(min=1)
        nsp = F.cross_entropy(nsp_logits.float(), nsp_labels, ignore_index=IGNORE, reduction="sum") / paired
        return mlm + nsp, mlm.detach(), nsp.detach()


def token_types(ids: torch.Tensor, sep_id: int) -> torch.Tensor:
    """Segment ids: 0 up to and including the first [SEP], 1 after it."""
    seps = (ids == sep_id).long().cumsum(dim=1)
    return ((seps - (ids == sep_id).long()) >= 1).long()


def training_flops(config: BertConfig, seq_length: int, predicted: float) -> float:
    """Training FLOPs of one sequence (forward + backward = 3x forward).

    Forward: 2 FLOPs per weight per token for the encoder's matrices, the
    attention scores and weighted sums (2 x 2 x L x hidden per token and layer),
    and the MLM head on the ``predicted`` positions. Embedding lookups, norms and
    softmaxes are left out, as MFU counts conventionally do.
    """
    h, i, n = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    per_layer = 4 * h * h + 2 * h * i
    encoder = seq_length * n * (2 * per_layer + 4 * seq_length * h)
    head = predicted * 2 * (h * h + h * config.vocab_size)
    return 3.0 * (encoder + head)
