"""Contextual word vectors from an ELMo export, for tokenized sentences.

    embedder = Embedder("results/elmo/tokens-30k")
    vectors = embedder([["Det", "regner", "."]], layers="average")  # [3, 1024] per sentence

Each sentence runs from a zero LSTM state (no state carried between batches), so
a sentence's vectors do not depend on what was embedded before it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from smie.elmo.chars import CharIds
from smie.elmo.export import load

LAYERS = ("all", "top", "average")


class Embedder:
    def __init__(self, directory: str | Path, device: str = "cpu", batch_size: int = 64):
        self.bilm = load(directory).to(device)
        self.device = torch.device(device)
        self.batch_size = batch_size
        self.chars = CharIds(self.bilm.size.max_chars)

    @property
    def dim(self) -> int:
        return 2 * self.bilm.size.projection_dim

    @property
    def n_layers(self) -> int:
        """Representations per token: the token layer and one per LSTM layer."""
        return self.bilm.size.n_layers + 1

    @torch.no_grad()
    def __call__(self, sentences: list[list[str]], layers: str = "average") -> list[np.ndarray]:
        """Per sentence, float32 vectors: [n_layers, tokens, dim] for ``all``, else
        [tokens, dim] (``top``: the last layer, ``average``: the mean of all layers)."""
        if layers not in LAYERS:
            raise ValueError(f"layers must be one of {', '.join(LAYERS)}, not {layers!r}")
        out: list[np.ndarray | None] = [None] * len(sentences)
        # batches of similar lengths pad little; results go back in input order
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            arrays = self.chars.batch([list(sentences[i]) for i in rows])
            lengths = arrays[2]
            reps = self.bilm.layers(*(torch.from_numpy(x).to(self.device) for x in arrays))
            reps = reps.float().cpu().numpy()
            for b, i in enumerate(rows):
                v = reps[:, b, 1 : lengths[b] - 1]  # without <S> and </S>
                out[i] = v if layers == "all" else v[-1] if layers == "top" else v.mean(axis=0)
        return out
