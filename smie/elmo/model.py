"""The ELMo biLM: character CNN -> highway -> projection -> 2 x biLSTM with projection.

Parameters are stored the way bilm-tf's TensorFlow graph holds them (matrices as
[in, out], LSTM gates in TensorFlow's order i, j, f, o with the forget gate's +1
added at run time), so the export is a rename and the loaders' conventions hold
by construction. Each layer runs both directions at once: the weights carry a
leading direction axis of 2 (0 forward, 1 backward) and one batched matmul serves
both, halving the kernels of the time loop.

The backward direction reads every sentence reversed within its own length, so
right padding stays after the real tokens in both directions and never reaches a
real position: no masks inside the recurrence.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from smie.elmo.chars import MASK, N_CHARACTERS


@dataclass(frozen=True)
class Size:
    """Architecture (config: ``elmo.sizes.<name>``); see the schema for each field."""

    char_dim: int = 16
    filters: tuple = ((1, 32), (2, 32), (3, 64), (4, 128), (5, 256), (6, 512), (7, 1024))
    n_highway: int = 2
    max_chars: int = 50
    activation: str = "relu"
    cell_dim: int = 4096
    projection_dim: int = 512
    n_layers: int = 2
    cell_clip: float = 3.0
    proj_clip: float = 3.0

    def __post_init__(self):
        # the sizes a config may give are checked once, by smie.config.Config.check_elmo
        object.__setattr__(self, "filters", tuple(tuple(int(x) for x in f) for f in self.filters))

    @property
    def n_filters(self) -> int:
        return sum(n for _, n in self.filters)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["filters"] = [list(f) for f in self.filters]
        return d


class CharEncoder(nn.Module):
    """Character ids [..., max_chars] -> token vectors [..., projection_dim]."""

    def __init__(self, size: Size):
        super().__init__()
        self.size = size
        # Row 0 (no token) stays zero: the loaders insert a zero row there.
        self.char_embed = nn.Embedding(N_CHARACTERS, size.char_dim, padding_idx=MASK)
        self.convs = nn.ModuleList(nn.Conv1d(size.char_dim, n, w) for w, n in size.filters)
        d = size.n_filters
        self.carry = nn.ModuleList(nn.Linear(d, d) for _ in range(size.n_highway))
        self.transform = nn.ModuleList(nn.Linear(d, d) for _ in range(size.n_highway))
        self.proj = nn.Linear(d, size.projection_dim)
        self.reset_parameters()

    def reset_parameters(self):
        # bilm-tf's initialisers: chars U(-1, 1), convolutions U(-0.05, 0.05) for relu
        # (normal with 1/fan-in variance for tanh), carry bias -2 (start by carrying).
        with torch.no_grad():
            nn.init.uniform_(self.char_embed.weight, -1.0, 1.0)
            self.char_embed.weight[MASK].zero_()
            for conv, (w, _) in zip(self.convs, self.size.filters):
                if self.size.activation == "relu":
                    nn.init.uniform_(conv.weight, -0.05, 0.05)
                else:
                    nn.init.normal_(conv.weight, 0.0, math.sqrt(1.0 / (w * self.size.char_dim)))
                nn.init.zeros_(conv.bias)
            d = self.size.n_filters
            for carry, transform in zip(self.carry, self.transform):
                nn.init.normal_(carry.weight, 0.0, math.sqrt(1.0 / d))
                nn.init.constant_(carry.bias, -2.0)
                nn.init.normal_(transform.weight, 0.0, math.sqrt(1.0 / d))
                nn.init.zeros_(transform.bias)
            nn.init.normal_(self.proj.weight, 0.0, math.sqrt(1.0 / d))
            nn.init.zeros_(self.proj.bias)

    def forward(self, chars: torch.Tensor) -> torch.Tensor:
        shape = chars.shape[:-1]
        x = self.char_embed(chars.reshape(-1, chars.shape[-1])).transpose(1, 2)  # [N, char_dim, max_chars]
        act = torch.relu if self.size.activation == "relu" else torch.tanh
        # max over positions, then the activation, as bilm-tf does
        x = torch.cat([act(conv(x).amax(dim=2)) for conv in self.convs], dim=1)
        for carry, transform in zip(self.carry, self.transform):
            gate = torch.sigmoid(carry(x))
            x = gate * torch.relu(transform(x)) + (1.0 - gate) * x
        return self.proj(x).view(*shape, -1)


class BiLSTMLayer(nn.Module):
    """One LSTM layer with a projected, clipped output, for both directions at once.

    TensorFlow's LSTMCell(num_proj, cell_clip, proj_clip): gates from [x, h] @ W + B
    in the order i, j, f, o; c = sig(f + 1) c + sig(i) tanh(j), clipped;
    h = (sig(o) tanh(c)) @ W_P, clipped.
    """

    def __init__(self, input_dim: int, cell_dim: int, proj_dim: int, cell_clip: float, proj_clip: float):
        super().__init__()
        self.cell_dim, self.proj_dim = cell_dim, proj_dim
        self.cell_clip, self.proj_clip = cell_clip, proj_clip
        self.w_input = nn.Parameter(torch.empty(2, input_dim, 4 * cell_dim))
        self.w_hidden = nn.Parameter(torch.empty(2, proj_dim, 4 * cell_dim))
        self.bias = nn.Parameter(torch.zeros(2, 4 * cell_dim))
        self.w_proj = nn.Parameter(torch.empty(2, cell_dim, proj_dim))
        # TensorFlow's default for these variables: Glorot uniform over the whole kernel.
        bound = math.sqrt(6.0 / (input_dim + proj_dim + 4 * cell_dim))
        for w in (self.w_input, self.w_hidden):
            nn.init.uniform_(w, -bound, bound)
        nn.init.uniform_(self.w_proj, -math.sqrt(6.0 / (cell_dim + proj_dim)), math.sqrt(6.0 / (cell_dim + proj_dim)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x [2, B, T, input_dim] (the backward half already reversed) -> [2, B, T, proj_dim]."""
        _, b, t, _ = x.shape
        gates_x = torch.matmul(x.reshape(2, b * t, -1), self.w_input).view(2, b, t, -1) + self.bias[:, None, None]
        h = x.new_zeros(2, b, self.proj_dim)
        c = x.new_zeros(2, b, self.cell_dim, dtype=torch.float32)
        outputs = []
        # unbind, not gates_x[:, :, step]: the backward of each slice would fill a
        # zero tensor of gates_x's whole size, T times
        for gx in gates_x.unbind(2):
            # the cell state stays float32 under bf16 autocast: it accumulates over the sentence
            gates = (gx + torch.bmm(h, self.w_hidden)).float()
            i, j, f, o = gates.chunk(4, dim=2)
            c = (torch.sigmoid(f + 1.0) * c + torch.sigmoid(i) * torch.tanh(j)).clamp(-self.cell_clip, self.cell_clip)
            h = torch.bmm(torch.sigmoid(o) * torch.tanh(c), self.w_proj).clamp(-self.proj_clip, self.proj_clip)
            outputs.append(h)
        return torch.stack(outputs, dim=2)


def reverse_within(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Each row of x [B, T, ...] reversed within its length; padding stays at the end."""
    t = x.shape[1]
    pos = torch.arange(t, device=x.device)[None, :]
    index = torch.where(pos < lengths[:, None], lengths[:, None] - 1 - pos, pos)
    return x.gather(1, index.view(*index.shape, *([1] * (x.dim() - 2))).expand_as(x))


class BiLM(nn.Module):
    """Char CNN + biLSTM; ``layers`` gives ELMo's representations, ``forward`` the
    top layer of each direction for the language-model loss."""

    def __init__(self, size: Size, dropout: float = 0.0):
        super().__init__()
        self.size = size
        self.dropout = dropout
        self.encoder = CharEncoder(size)
        p = size.projection_dim
        self.lstm = nn.ModuleList(
            BiLSTMLayer(p, size.cell_dim, p, size.cell_clip, size.proj_clip) for _ in range(size.n_layers))

    def _run(self, chars: torch.Tensor, index: torch.Tensor, lengths: torch.Tensor):
        """Token vectors [B, T, P] and each layer's output [2, B, T, P] in sentence order.

        ``chars`` [words, max_chars]: the distinct words of the batch (CharIds.batch);
        ``index`` [B, T]: each position's word; ``lengths`` [B] with <S> and </S>.
        """
        tokens = self.encoder(chars)[index]
        x = torch.stack([tokens, reverse_within(tokens, lengths)])
        outputs = []
        for k, layer in enumerate(self.lstm):
            x = F.dropout(x, self.dropout, self.training)
            # residual connections from the second layer on, as bilm-tf's ResidualWrapper
            x = layer(x) + (x if k > 0 else 0)
            outputs.append(x)
        in_order = [torch.stack([out[0], reverse_within(out[1], lengths)]) for out in outputs]
        return tokens, in_order

    def forward(self, chars: torch.Tensor, index: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """The top layer [2, B, T, P]: forward states predict the next word, backward the previous."""
        _, outputs = self._run(chars, index, lengths)
        return F.dropout(outputs[-1], self.dropout, self.training)

    def layers(self, chars: torch.Tensor, index: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """ELMo's layers [n_layers + 1, B, T, 2P]: the token vectors twice, then
        each layer's forward and backward states side by side (<S> and </S> included)."""
        tokens, outputs = self._run(chars, index, lengths)
        return torch.stack([torch.cat([tokens, tokens], -1)] + [torch.cat([o[0], o[1]], -1) for o in outputs])


class AdaptiveSoftmax(nn.Module):
    """Negative log-likelihood over the word vocabulary, adaptive (Grave et al., 2017).

    Words are ids in frequency order (vocab.txt is). The head scores the first
    ``cutoffs[0]`` words and one entry per tail cluster; cluster k scores its words
    from a projection of the state shrunk by ``factor``^k. With no cutoff inside the
    vocabulary it is the full softmax. Every cluster runs on every batch, on no rows
    if no target falls in it, so all parameters receive a gradient (DDP needs that).
    The exact log-likelihood of every word is cheap, so perplexity is exact.
    """

    def __init__(self, dim: int, n_words: int, cutoffs: tuple = (), factor: float = 4.0):
        super().__init__()
        self.bounds = [0] + [c for c in sorted(set(cutoffs)) if 0 < c < n_words] + [n_words]
        n_tails = len(self.bounds) - 2
        self.head = nn.Linear(dim, self.bounds[1] + n_tails)
        self.tails = nn.ModuleList()
        for k in range(n_tails):
            hidden = max(1, int(dim / factor ** (k + 1)))
            self.tails.append(nn.Sequential(nn.Linear(dim, hidden, bias=False),
                                            nn.Linear(hidden, self.bounds[k + 2] - self.bounds[k + 1])))

    def forward(self, x: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """Summed negative log-likelihood of ``targets`` [N] given states x [N, dim]."""
        head = torch.log_softmax(self.head(x).float(), dim=-1)
        shortlist = self.bounds[1]
        in_head = targets < shortlist
        nll = -head[in_head].gather(1, targets[in_head, None]).sum()
        for k, tail in enumerate(self.tails):
            lo, hi = self.bounds[k + 1], self.bounds[k + 2]
            rows = ((targets >= lo) & (targets < hi)).nonzero().squeeze(1)
            scores = torch.log_softmax(tail(x[rows]).float(), dim=-1)
            nll = nll - (head[rows, shortlist + k] + scores.gather(1, (targets[rows] - lo)[:, None]).squeeze(1)).sum()
        return nll


class LanguageModel(nn.Module):
    """The biLM with its softmax: summed NLL of both directions' targets, and their count."""

    def __init__(self, size: Size, n_words: int, dropout: float, cutoffs: tuple = (), factor: float = 4.0):
        super().__init__()
        self.bilm = BiLM(size, dropout)
        # One softmax for both directions, as bilm-tf shares softmax_W.
        self.softmax = AdaptiveSoftmax(size.projection_dim, n_words, cutoffs, factor)

    def forward(self, chars: torch.Tensor, index: torch.Tensor, words: torch.Tensor, lengths: torch.Tensor):
        """``words`` [B, T]: vocabulary ids of the sentence with <S> and </S> (the other
        inputs as BiLM's). Position t's forward state predicts word t + 1, its backward
        state word t - 1."""
        top = self.bilm(chars, index, lengths)
        t = words.shape[1]
        real = torch.arange(t, device=words.device)[None, :] < lengths[:, None]
        keep = real[:, 1:]  # pairs (t, t + 1) inside the sentence
        states = torch.cat([top[0][:, :-1][keep], top[1][:, 1:][keep]])
        targets = torch.cat([words[:, 1:][keep], words[:, :-1][keep]])
        return self.softmax(states, targets), targets.numel()
