"""Masked-language-model inputs, drawn afresh for every batch on the training device.

Of the tokens that are not [CLS], [SEP] or [PAD], each is selected with
probability ``prob`` (BERT: 15%); a selected token becomes [MASK] 80% of the
time, a random regular token 10% and stays itself 10%, and only selected
tokens carry a label. With whole-word masking a word's WordPiece pieces (a start
and its "##" continuations) are selected together, as NorBERT 2 trained.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from smie.bert.data import IGNORE


@dataclass
class Vocabulary:
    """What masking needs to know about the vocabulary, as tensors on the device."""

    mask_id: int
    special: torch.Tensor        # bool [V]: never selected ([PAD], [CLS], [SEP] ...)
    continuation: torch.Tensor   # bool [V]: "##" pieces
    first_regular: int           # random replacements are drawn from [first_regular, V)

    @classmethod
    def of(cls, tokenizer, device: torch.device) -> "Vocabulary":
        vocab = tokenizer.get_vocab()
        size = tokenizer.get_vocab_size()
        special = torch.zeros(size, dtype=torch.bool)
        continuation = torch.zeros(size, dtype=torch.bool)
        bracketed = []
        for token, i in vocab.items():
            if token.startswith("[") and token.endswith("]"):
                special[i] = True  # [PAD] [UNK] [CLS] [SEP] [MASK] [unusedN]
                bracketed.append(i)
            elif token.startswith("##"):
                continuation[i] = True
        special[vocab["[UNK]"]] = False  # an unknown word is still a word to predict
        return cls(vocab["[MASK]"], special.to(device), continuation.to(device), max(bracketed) + 1)


def mask_batch(ids: torch.Tensor, vocab: Vocabulary, prob: float, whole_words: bool,
               generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(inputs, labels) for token ids [B, L]; labels are IGNORE where not selected."""
    draw = torch.rand(ids.shape, generator=generator, device=ids.device)
    if whole_words:
        # every piece takes the draw of its word's first piece
        starts = ~vocab.continuation[ids]
        positions = torch.arange(ids.shape[1], device=ids.device).expand_as(ids)
        first_piece = torch.cummax(torch.where(starts, positions, 0), dim=1).values
        draw = draw.gather(1, first_piece)
    selected = (draw < prob) & ~vocab.special[ids]
    labels = torch.where(selected, ids, IGNORE)
    how = torch.rand(ids.shape, generator=generator, device=ids.device)
    random_tokens = torch.randint(vocab.first_regular, len(vocab.special), ids.shape,
                                  generator=generator, device=ids.device)
    inputs = torch.where(selected & (how < 0.8), vocab.mask_id, ids)
    inputs = torch.where(selected & (how >= 0.8) & (how < 0.9), random_tokens, inputs)
    return inputs, labels
