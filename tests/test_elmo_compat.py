"""simple_elmo, the TensorFlow ELMo library NorELMo's users load models with, reads
smie's export and computes the vectors smie's embedder computes.

simple_elmo 0.9.2 runs on TensorFlow (tensorflow-cpu 2.21, with tf-keras for the TF1
layers it builds), which needs h5py < 3.15 while the workflow pins h5py 3.16, so they
live in a virtual environment of their own: ``make test-elmo-compat`` creates it in
.venv/elmo-compat and runs this file.
The test finds that environment there (or the Python named by SMIE_ELMO_COMPAT_PYTHON)
and is skipped, saying why, where there is none.
"""

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import REPO
from smie.elmo.embedder import Embedder
from smie.elmo.export import export
from smie.elmo.model import BiLM, Size

torch.set_num_threads(1)

COMPAT_PYTHON = Path(os.environ.get("SMIE_ELMO_COMPAT_PYTHON", REPO / ".venv/elmo-compat/bin/python"))

# Runs in the compat Python: simple_elmo's vectors for the sentences, every layer
# choice, in one batch from the zero state (no warm-up: simple_elmo's LSTM states
# otherwise carry over from the previous batch).
SIMPLE_ELMO = r"""
import json, sys
import numpy as np
from simple_elmo import ElmoModel
model, sentences, out = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
elmo = ElmoModel()
elmo.load(model, max_batch_size=len(sentences))
np.savez(out, all=elmo.get_elmo_vectors(sentences, warmup=False, layers="all"))
"""


def compat_python():
    if not COMPAT_PYTHON.exists():
        pytest.skip(f"no Python with simple_elmo and tensorflow at {COMPAT_PYTHON} (make test-elmo-compat creates one)")
    probe = subprocess.run([str(COMPAT_PYTHON), "-c", "import simple_elmo, tensorflow"], capture_output=True, text=True)
    if probe.returncode != 0:
        reason = probe.stderr.strip().splitlines()[-1]
        pytest.skip(f"{COMPAT_PYTHON} cannot import simple_elmo and tensorflow: {reason}")
    return str(COMPAT_PYTHON)


SENTENCES = [
    ["Det", "regner", "i", "Bergen", "i", "dag", "."],
    ["Æ", "e", "på", "tur", "!"],
    ["Donaudampfschifffahrtsgesellschaftskapitänskajütenschlüsselloch", "er", "langt"],  # cut at 50 bytes
    ["ord"],
]

SIZES = {
    # small, every parameter random (biases too): a wrong name, gate or transposition shows
    "small": Size(char_dim=4, filters=((1, 8), (2, 8), (3, 16)), n_highway=2, cell_dim=24, projection_dim=8),
    # NorELMo's architecture: the shapes simple_elmo meets in a real model
    "norelmo": Size(cell_dim=2048),
}


@pytest.mark.parametrize("size", SIZES)
def test_simple_elmo_computes_smies_vectors_from_the_export(tmp_path, size):
    if size == "norelmo" and not os.environ.get("SMIE_ELMO_COMPAT_FULL"):
        pytest.skip("a 220 MB export, half a minute: make test-elmo-compat runs it (SMIE_ELMO_COMPAT_FULL=1)")
    python = compat_python()
    torch.manual_seed(7)
    bilm = BiLM(SIZES[size]).eval()
    with torch.no_grad():
        for name, p in bilm.named_parameters():
            if "bias" in name:
                p.uniform_(-0.5, 0.5)
        bilm.encoder.char_embed.weight[0].zero_()
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("<S>\n</S>\n<UNK>\n.\ni\n")
    export(bilm, vocab, tmp_path / "model")

    out = tmp_path / "simple_elmo.npz"
    # TF_USE_LEGACY_KERAS: Keras 2 (tf-keras) has the TF1 LSTMCell simple_elmo builds on
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_USE_LEGACY_KERAS": "1"}
    proc = subprocess.run([python, "-c", SIMPLE_ELMO, str(tmp_path / "model"), json.dumps(SENTENCES), str(out)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    theirs = np.load(out)["all"]  # [sentences, layers, longest, 2 * projection_dim], zero-padded

    ours = Embedder(tmp_path / "model", batch_size=2)(SENTENCES, layers="all")
    for b, sentence in enumerate(SENTENCES):
        np.testing.assert_allclose(ours[b], theirs[b, :, : len(sentence)], rtol=1e-4, atol=2e-5)
