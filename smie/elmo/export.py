"""bilm-tf's export layout: options.json, model.hdf5 (float32 datasets named as
bilm-tf's dump_weights names TensorFlow's variables) and vocab.txt.

=========================================================  ==========================
dataset                                                    shape
=========================================================  ==========================
char_embed                                                 [261, char_dim]
CNN/W_cnn_{i}, CNN/b_cnn_{i}                               [1, width, char_dim, n], [n]
CNN_high_{k}/W_carry, W_transform; b_carry, b_transform    [F, F]; [F]  (F = all filters)
CNN_proj/W_proj, CNN_proj/b_proj                           [F, P], [P]
RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell/W_0              [P + P, 4 C]  (input rows, then recurrent)
RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell/B                [4 C]  (gates i, j, f, o; forget +1 at run time)
RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell/W_P_0            [C, P]
=========================================================  ==========================

d is 0 forward, 1 backward; k the layer. The softmax is not exported (bilm-tf's
dump leaves it out too). ``char_embed`` has no row for id 0: loaders add it.
"""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import torch

from smie.documents import InputError
from smie.elmo.chars import N_CHARACTERS
from smie.elmo.model import BiLM, Size

FILES = ["options.json", "model.hdf5", "vocab.txt"]


def lstm_name(direction: int, layer: int, var: str) -> str:
    return f"RNN_{direction}/RNN/MultiRNNCell/Cell{layer}/LSTMCell/{var}"


def options(size: Size, training: dict | None = None) -> dict:
    """options.json: the architecture as bilm-tf writes it (``n_characters`` 262 is
    what inference code requires), plus bilm-tf's training keys where known."""
    opts = {
        "bidirectional": True,
        "char_cnn": {
            "activation": size.activation,
            "embedding": {"dim": size.char_dim},
            "filters": [list(f) for f in size.filters],
            "max_characters_per_token": size.max_chars,
            "n_characters": N_CHARACTERS,
            "n_highway": size.n_highway,
        },
        "lstm": {
            "cell_clip": size.cell_clip,
            "dim": size.cell_dim,
            "n_layers": size.n_layers,
            "proj_clip": size.proj_clip,
            "projection_dim": size.projection_dim,
            "use_skip_connections": True,
        },
    }
    return {**opts, **(training or {})}


def size_from_options(opts: dict, path: str | Path) -> Size:
    try:
        cnn, lstm = opts["char_cnn"], opts["lstm"]
        if not lstm.get("use_skip_connections", False):
            raise InputError(f"{path}: only biLMs with use_skip_connections are supported")
        if cnn["n_characters"] != N_CHARACTERS:
            raise InputError(f"{path}: n_characters is {cnn['n_characters']}; inference uses {N_CHARACTERS}")
        return Size(char_dim=cnn["embedding"]["dim"], filters=cnn["filters"], n_highway=cnn.get("n_highway") or 0,
                    max_chars=cnn["max_characters_per_token"], activation=cnn["activation"], cell_dim=lstm["dim"],
                    projection_dim=lstm["projection_dim"], n_layers=lstm.get("n_layers", 1),
                    cell_clip=lstm["cell_clip"], proj_clip=lstm["proj_clip"])
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"{path}: not a bilm-tf options file: {error!r}") from error


def weights(bilm: BiLM) -> dict[str, np.ndarray]:
    """Every exported dataset of a biLM, by name, as float32 arrays."""
    enc, out = bilm.encoder, {}

    def put(name, tensor):
        out[name] = tensor.detach().float().cpu().numpy().astype(np.float32, copy=True)

    put("char_embed", enc.char_embed.weight[1:])
    for i, conv in enumerate(enc.convs):
        put(f"CNN/W_cnn_{i}", conv.weight.permute(2, 1, 0).unsqueeze(0))
        put(f"CNN/b_cnn_{i}", conv.bias)
    for k, (carry, transform) in enumerate(zip(enc.carry, enc.transform)):
        put(f"CNN_high_{k}/W_carry", carry.weight.t())
        put(f"CNN_high_{k}/b_carry", carry.bias)
        put(f"CNN_high_{k}/W_transform", transform.weight.t())
        put(f"CNN_high_{k}/b_transform", transform.bias)
    put("CNN_proj/W_proj", enc.proj.weight.t())
    put("CNN_proj/b_proj", enc.proj.bias)
    for k, layer in enumerate(bilm.lstm):
        for d in range(2):
            put(lstm_name(d, k, "W_0"), torch.cat([layer.w_input[d], layer.w_hidden[d]]))
            put(lstm_name(d, k, "B"), layer.bias[d])
            put(lstm_name(d, k, "W_P_0"), layer.w_proj[d])
    return out


def expected_shapes(size: Size) -> dict[str, tuple]:
    """The layout's dataset names and shapes for an architecture (what a test checks an export against)."""
    f, p, c = size.n_filters, size.projection_dim, size.cell_dim
    shapes = {"char_embed": (N_CHARACTERS - 1, size.char_dim)}
    for i, (width, n) in enumerate(size.filters):
        shapes[f"CNN/W_cnn_{i}"] = (1, width, size.char_dim, n)
        shapes[f"CNN/b_cnn_{i}"] = (n,)
    for k in range(size.n_highway):
        for kind in ("carry", "transform"):
            shapes[f"CNN_high_{k}/W_{kind}"] = (f, f)
            shapes[f"CNN_high_{k}/b_{kind}"] = (f,)
    shapes["CNN_proj/W_proj"] = (f, p)
    shapes["CNN_proj/b_proj"] = (p,)
    for k in range(size.n_layers):
        for d in range(2):
            shapes[lstm_name(d, k, "W_0")] = (2 * p, 4 * c)
            shapes[lstm_name(d, k, "B")] = (4 * c,)
            shapes[lstm_name(d, k, "W_P_0")] = (c, p)
    return shapes


def export(bilm: BiLM, vocab_path: str | Path, out_dir: str | Path, training: dict | None = None) -> None:
    """Write options.json, model.hdf5 and vocab.txt of a trained biLM into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "options.json").write_text(json.dumps(options(bilm.size, training), indent=2) + "\n")
    with h5py.File(out_dir / "model.hdf5", "w") as f:
        for name, array in weights(bilm).items():
            f.create_dataset(name, data=array, dtype="float32")
    (out_dir / "vocab.txt").write_bytes(Path(vocab_path).read_bytes())


def load(directory: str | Path) -> BiLM:
    """A biLM from an export (smie's or any bilm-tf dump of this architecture), in eval mode."""
    directory = Path(directory)
    opts_path, weights_path = directory / "options.json", directory / "model.hdf5"
    try:
        opts = json.loads(opts_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{opts_path}: cannot read the ELMo options: {error}") from error
    size = size_from_options(opts, opts_path)
    bilm = BiLM(size)
    expected = expected_shapes(size)
    arrays = {}
    try:
        with h5py.File(weights_path, "r") as f:
            for name, shape in expected.items():
                if name not in f:
                    raise InputError(f"{weights_path}: no dataset {name} (options.json describes it)")
                if f[name].shape != shape:
                    raise InputError(f"{weights_path}: {name} has shape {f[name].shape}, options.json implies {shape}")
                arrays[name] = torch.from_numpy(np.asarray(f[name][...], dtype=np.float32))
    except OSError as error:
        raise InputError(f"{weights_path}: cannot read the ELMo weights: {error}") from error
    enc = bilm.encoder
    with torch.no_grad():
        enc.char_embed.weight[0].zero_()
        enc.char_embed.weight[1:].copy_(arrays["char_embed"])
        for i, conv in enumerate(enc.convs):
            conv.weight.copy_(arrays[f"CNN/W_cnn_{i}"][0].permute(2, 1, 0))
            conv.bias.copy_(arrays[f"CNN/b_cnn_{i}"])
        for k, (carry, transform) in enumerate(zip(enc.carry, enc.transform)):
            carry.weight.copy_(arrays[f"CNN_high_{k}/W_carry"].t())
            carry.bias.copy_(arrays[f"CNN_high_{k}/b_carry"])
            transform.weight.copy_(arrays[f"CNN_high_{k}/W_transform"].t())
            transform.bias.copy_(arrays[f"CNN_high_{k}/b_transform"])
        enc.proj.weight.copy_(arrays["CNN_proj/W_proj"].t())
        enc.proj.bias.copy_(arrays["CNN_proj/b_proj"])
        p = size.projection_dim
        for k, layer in enumerate(bilm.lstm):
            for d in range(2):
                w = arrays[lstm_name(d, k, "W_0")]
                layer.w_input[d].copy_(w[:p])
                layer.w_hidden[d].copy_(w[p:])
                layer.bias[d].copy_(arrays[lstm_name(d, k, "B")])
                layer.w_proj[d].copy_(arrays[lstm_name(d, k, "W_P_0")])
    return bilm.eval()
