"""ELMo: character ids, the export layout (checked against TensorFlow's arithmetic
written out in numpy), the embedder, resume after a kill, torchrun, and the demo's models."""

import gzip
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
import torch
import yaml

from conftest import DEMO_CONFIG, FULL_RUN_ENV, REPO, TIMED, demo_config, job_counts, snakemake, wait_for
from smie.documents import InputError
from smie.elmo import chars
from smie.elmo.data import Batching, Corpus, Vocabulary
from smie.elmo.embedder import Embedder
from smie.elmo.export import expected_shapes, export, load, size_from_options
from smie.elmo.model import BiLM, LanguageModel, Size
from smie.training import INTERRUPTED, read_log

torch.set_num_threads(1)

TINY = Size(char_dim=4, filters=((1, 4), (2, 4), (3, 8)), n_highway=2, max_chars=12, cell_dim=12, projection_dim=6)
SENTENCES = [["Det", "regner", "i", "Bergen", "."], ["på", "tysdag"], ["Ein", "langt", "lengre", "ord", "enn",
             "Donaudampfschifffahrtsgesellschaftskapitän", "!"], []]


def tiny_bilm(seed=0):
    """A biLM with every parameter random (biases too), so that a wrong name, gate or
    transposition in the export changes the vectors."""
    torch.manual_seed(seed)
    bilm = BiLM(TINY).eval()
    with torch.no_grad():
        for name, p in bilm.named_parameters():
            if "bias" in name:
                p.uniform_(-0.5, 0.5)
        bilm.encoder.char_embed.weight[0].zero_()
    return bilm


# --- character ids ------------------------------------------------------------

def test_character_ids_follow_bilm_tf_shifted_by_one():
    ids = chars.CharIds(max_chars=10)
    assert list(ids.word("på")) == [259, ord("p") + 1, 0xC3 + 1, 0xA5 + 1, 260] + [261] * 5
    assert list(ids.word("<S>")[:4]) == [259, 257, 260, 261] and list(ids.word("</S>")[:3]) == [259, 258, 260]
    long = ids.word("abcdefghijklmnop")  # cut to max_chars - 2 bytes between the markers
    assert long[0] == 259 and long[-1] == 260 and bytes(int(c) - 1 for c in long[1:-1]) == b"abcdefgh"
    table, index, lengths = ids.batch([["a", "b", "a"], ["b"]])
    assert list(lengths) == [5, 3] and (table[0] == 0).all()  # row 0: no token at all
    assert index.tolist() == [[1, 2, 3, 2, 4], [1, 3, 4, 0, 0]]  # <S> a b a </S>; <S> b </S> then nothing


def test_a_vocabulary_without_the_elmo_specials_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / "vocab.txt"
    bad.write_text("<S>\n<UNK>\nord\n")
    with pytest.raises(InputError, match=f"{bad}.*<S> </S> <UNK>"):
        Vocabulary.read(bad)
    bad.write_text("<S>\n</S>\n<UNK>\nord\nord\n")
    with pytest.raises(InputError, match="more than once: ord"):
        Vocabulary.read(bad)
    vocab = Vocabulary(["<S>", "</S>", "<UNK>", "ord"])
    assert vocab.ids([["ord", "ukjent"]], 5).tolist() == [[0, 3, 2, 1, 0]]


# --- export -------------------------------------------------------------------

def datasets(path):
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: found.update({name: (obj.shape, obj.dtype)})
                     if isinstance(obj, h5py.Dataset) else None)
    return found


def test_the_hdf5_has_exactly_bilm_tfs_datasets_shapes_and_dtypes(tmp_path):
    export(tiny_bilm(), _vocab(tmp_path), tmp_path / "out")
    found = datasets(tmp_path / "out/model.hdf5")
    assert found == {name: (shape, np.dtype("float32")) for name, shape in expected_shapes(TINY).items()}
    # spelled out once for this architecture, so that expected_shapes itself is checked
    assert found["char_embed"][0] == (261, 4)
    assert found["CNN/W_cnn_2"][0] == (1, 3, 4, 8) and found["CNN/b_cnn_2"][0] == (8,)
    assert found["CNN_high_1/W_carry"][0] == (16, 16) and found["CNN_high_0/b_transform"][0] == (16,)
    assert found["CNN_proj/W_proj"][0] == (16, 6) and found["CNN_proj/b_proj"][0] == (6,)
    cell = "RNN_1/RNN/MultiRNNCell/Cell1/LSTMCell/"
    assert (found[cell + "W_0"][0], found[cell + "B"][0], found[cell + "W_P_0"][0]) == ((12, 48), (48,), (12, 6))
    assert len(found) == 1 + 2 * 3 + 4 * 2 + 2 + 3 * 2 * 2
    options = json.loads((tmp_path / "out/options.json").read_text())
    assert options["char_cnn"]["n_characters"] == 262 and options["lstm"]["use_skip_connections"] is True
    assert options["char_cnn"]["filters"] == [[1, 4], [2, 4], [3, 8]] and options["lstm"]["dim"] == 12
    assert (tmp_path / "out/vocab.txt").read_text() == _vocab(tmp_path).read_text()


def _vocab(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("<S>\n</S>\n<UNK>\n.\ni\n")
    return path


def tensorflow_arithmetic(directory, sentence):
    """ELMo's layers for one sentence computed from options.json and model.hdf5 the way
    bilm-tf's graph computes them (TensorFlow's conv2d, LSTMCell with gates i, j, f, o,
    forget bias 1, clipping, projection; ResidualWrapper; reversed backward input)."""
    opts = json.loads((directory / "options.json").read_text())
    cnn, lstm = opts["char_cnn"], opts["lstm"]
    with h5py.File(directory / "model.hdf5", "r") as f:
        w = {}
        f.visititems(lambda name, obj: w.update({name: obj[...]}) if isinstance(obj, h5py.Dataset) else None)
    ids = np.stack([chars.CharIds(cnn["max_characters_per_token"]).word(t) for t in ["<S>", *sentence, "</S>"]])
    table = np.vstack([np.zeros((1, cnn["embedding"]["dim"])), w["char_embed"]])  # the loaders' zero row
    emb = table[ids]  # [T, chars, dim]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    convs = []
    for i, (width, _) in enumerate(cnn["filters"]):
        kernel = w[f"CNN/W_cnn_{i}"][0]  # [width, dim, n]
        out = np.stack([np.einsum("twd,wdn->tn", emb[:, p : p + width], kernel)
                        for p in range(ids.shape[1] - width + 1)], 1) + w[f"CNN/b_cnn_{i}"]
        convs.append(np.maximum(out.max(1), 0))
    x = np.concatenate(convs, 1)
    for k in range(cnn["n_highway"]):
        carry = sig(x @ w[f"CNN_high_{k}/W_carry"] + w[f"CNN_high_{k}/b_carry"])
        x = carry * np.maximum(x @ w[f"CNN_high_{k}/W_transform"] + w[f"CNN_high_{k}/b_transform"], 0) + (1 - carry) * x
    x = x @ w["CNN_proj/W_proj"] + w["CNN_proj/b_proj"]

    def run(inputs, d, k):
        cell = f"RNN_{d}/RNN/MultiRNNCell/Cell{k}/LSTMCell/"
        c, h, out = np.zeros(lstm["dim"]), np.zeros(lstm["projection_dim"]), []
        for t in range(len(inputs)):
            i, j, f_, o = np.split(np.concatenate([inputs[t], h]) @ w[cell + "W_0"] + w[cell + "B"], 4)
            c = np.clip(sig(f_ + 1.0) * c + sig(i) * np.tanh(j), -lstm["cell_clip"], lstm["cell_clip"])
            h = np.clip((sig(o) * np.tanh(c)) @ w[cell + "W_P_0"], -lstm["proj_clip"], lstm["proj_clip"])
            out.append(h)
        return np.array(out) + (inputs if k > 0 else 0)

    layers, fwd, bwd = [np.concatenate([x, x], 1)], x, x[::-1]
    for k in range(lstm["n_layers"]):
        fwd, bwd = run(fwd, 0, k), run(bwd, 1, k)
        layers.append(np.concatenate([fwd, bwd[::-1]], 1))
    return np.stack(layers)[:, 1:-1]  # without <S> and </S>


def test_the_export_computes_what_tensorflows_arithmetic_computes_from_it(tmp_path):
    export(tiny_bilm(), _vocab(tmp_path), tmp_path / "out")
    embedder = Embedder(tmp_path / "out", batch_size=3)  # several batches, padded rows
    vectors = embedder(SENTENCES, layers="all")
    for sentence, got in zip(SENTENCES, vectors):
        assert got.shape == (3, len(sentence), 12)
        if sentence:
            np.testing.assert_allclose(got, tensorflow_arithmetic(tmp_path / "out", sentence), rtol=1e-4, atol=1e-5)
    top, average = embedder(SENTENCES, layers="top"), embedder(SENTENCES, layers="average")
    np.testing.assert_array_equal(top[0], vectors[0][-1])
    np.testing.assert_allclose(average[0], vectors[0].mean(0), rtol=1e-6)


def test_the_embedder_reproduces_the_model_it_was_exported_from(tmp_path):
    bilm = tiny_bilm(seed=1)
    export(bilm, _vocab(tmp_path), tmp_path / "out")
    batch = [torch.from_numpy(x) for x in chars.CharIds(TINY.max_chars).batch(SENTENCES[:3])]
    with torch.no_grad():
        expected = bilm.layers(*batch).numpy()
    got = Embedder(tmp_path / "out")(SENTENCES[:3], layers="all")
    for b, sentence in enumerate(SENTENCES[:3]):
        np.testing.assert_allclose(got[b], expected[:, b, 1 : len(sentence) + 1], rtol=1e-6, atol=1e-6)
    reloaded = load(tmp_path / "out")
    assert all(torch.equal(a, b) for a, b in zip(bilm.state_dict().values(), reloaded.state_dict().values()))


def test_a_truncated_export_fails_naming_the_file_and_dataset(tmp_path):
    export(tiny_bilm(), _vocab(tmp_path), tmp_path / "out")
    with h5py.File(tmp_path / "out/model.hdf5", "a") as f:
        del f["CNN_proj/W_proj"]
    with pytest.raises(InputError, match="model.hdf5: no dataset CNN_proj/W_proj"):
        load(tmp_path / "out")


def test_every_parameter_gets_a_gradient_in_float32_and_under_bf16_autocast():
    # DDP requires a gradient for every parameter on every step, also for a softmax
    # cluster no target of the batch falls in; bf16 is how training runs on a GPU.
    torch.manual_seed(0)
    model = LanguageModel(TINY, 50, 0.1, cutoffs=(10, 30))
    table, index, lengths = chars.CharIds(TINY.max_chars).batch([["a", "b", "c"], ["d"]])
    words = torch.tensor([[0, 5, 6, 20, 1], [0, 8, 1, 0, 0]])  # nothing in the cluster [30, 50)
    inputs = (torch.from_numpy(table), torch.from_numpy(index), words, torch.from_numpy(lengths))
    losses = []
    for autocast in (torch.autocast("cpu", enabled=False), torch.autocast("cpu", dtype=torch.bfloat16)):
        model.zero_grad()
        torch.manual_seed(1)
        with autocast:
            nll, n = model(*inputs)
        nll.backward()
        assert n == 2 * (4 + 2) and nll.dtype == torch.float32
        assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in model.parameters())
        losses.append(nll.item())
    assert losses[1] == pytest.approx(losses[0], rel=0.02)


# --- data ---------------------------------------------------------------------

def write_corpus(folder, n_sentences=700, seed=0):
    """Two shards of made-up sentences over a small vocabulary (with some unknown words)."""
    rng = random.Random(seed)
    words = "jeg du han hun vi de er var har skal kan ikke og i på til med en et den det som for av fra at".split()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for shard in range(2):
        path = folder / f"{shard:04d}.tokens.txt.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            for k in range(n_sentences // 2):
                tokens = [rng.choice(words) + (str(rng.randrange(50)) if rng.random() < 0.1 else "")
                          for _ in range(rng.randint(2, 14))]
                f.write(" ".join(tokens) + " .\n" + ("\n" if k % 7 == 6 else ""))
        paths.append(path)
    (folder / "vocab.txt").write_text("\n".join(["<S>", "</S>", "<UNK>", ".", *words[:20]]) + "\n")
    return paths


def test_batches_are_deterministic_resumable_and_keep_held_out_sentences_apart(tmp_path):
    paths = write_corpus(tmp_path)
    corpus = Corpus(paths, Batching(batch_size=16, max_tokens=6, heldout=0.05, buffer_batches=4, seed=3))
    epoch = list(corpus.batches(1))
    assert len(epoch) == corpus.steps_per_epoch and all(len(b) == 16 for b in epoch)
    assert list(corpus.batches(1, start=9)) == epoch[9:]
    assert epoch != list(corpus.batches(2))  # every epoch its own order
    assert all(1 <= len(s) <= 6 for b in epoch for s in b)  # long sentences cut into pieces
    whole = Corpus(paths, Batching(batch_size=16, heldout=0.05, buffer_batches=4))  # sentences uncut
    held = {" ".join(s) for s in whole.heldout}
    assert held and not held & {" ".join(s) for b in whole.batches(0) for s in b}


# --- training -----------------------------------------------------------------

def job(tmp_path, **settings):
    paths = write_corpus(tmp_path / "corpus", n_sentences=480)  # 28 steps per epoch
    return {
        "model": "test",
        "settings": {"vocab": "v", "size": "t", "batch_size": 16, "epochs": 2, "softmax_cutoffs": [8],
                     "heldout": 0.05, "buffer_batches": 4, **settings},
        "size": {"char_dim": 4, "filters": [[1, 8], [2, 8], [3, 8]], "n_highway": 1, "max_chars": 16,
                 "cell_dim": 16, "projection_dim": 8},
        "runtime": {"checkpoint_every": 10, "log_every": 5, "eval_every": 20},
        "corpus": {"pattern": str(tmp_path / "corpus/{shard:04d}.tokens.txt.gz"), "shards": {"x": len(paths)}},
        "vocab": str(tmp_path / "corpus/vocab.txt"),
        "out": str(tmp_path / "out"),
        "checkpoints": str(tmp_path / "checkpoints"),
        "threads": 1,
    }


SCRIPT = [sys.executable, str(REPO / "scripts/pretrain_elmo.py")]
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


def arguments(spec):
    """The script's arguments as the pretrain_elmo rule splits them: what the model
    depends on (--settings) and where and how the job runs (--job)."""
    settings = {k: spec[k] for k in ("model", "settings", "size")}
    return ["--settings", json.dumps(settings), "--job", json.dumps({k: v for k, v in spec.items() if k not in settings})]


def start(spec):
    return subprocess.Popen([*SCRIPT, *arguments(spec)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=ENV)


def final_weights(spec):
    return torch.load(max(Path(spec["checkpoints"]).glob("step-*.pt")), weights_only=False)["model"]


def test_a_killed_and_a_stopped_run_resume_and_end_where_an_uninterrupted_run_ends(tmp_path):
    whole = job(tmp_path / "whole")
    proc = start(whole)
    assert proc.wait() == 0, proc.stdout.read()

    cut = job(tmp_path / "cut")
    checkpoints = tmp_path / "cut/checkpoints"
    proc = start(cut)
    wait_for(checkpoints / "step-00000010.pt", proc)
    proc.send_signal(signal.SIGKILL)  # a crash: no chance to save anything
    proc.wait()
    assert not (tmp_path / "cut/out/model.hdf5").exists()
    proc = start(cut)
    wait_for(checkpoints / "step-00000030.pt", proc)
    proc.send_signal(signal.SIGTERM)  # what Slurm sends before a walltime kill
    output = proc.communicate(timeout=60)[0]
    assert proc.returncode == INTERRUPTED, output
    assert "resuming from" in output and "saved, stopping" in output
    rerun = start(cut)
    output = rerun.communicate()[0]
    assert rerun.returncode == 0, output

    a, b = final_weights(whole), final_weights(cut)
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert datasets(tmp_path / "whole/out/model.hdf5") == datasets(tmp_path / "cut/out/model.hdf5")
    with h5py.File(tmp_path / "whole/out/model.hdf5") as fa, h5py.File(tmp_path / "cut/out/model.hdf5") as fb:
        assert all(np.array_equal(fa[n][...], fb[n][...]) for n in datasets(tmp_path / "whole/out/model.hdf5"))
    # the log reads as one run, each step once, with the same losses
    logs = [[{k: v for k, v in r.items() if not k.endswith(TIMED)}
             for r in read_log(tmp_path / run / "out/training.jsonl")] for run in ("whole", "cut")]
    assert logs[0] == logs[1]
    assert [r["step"] for r in logs[0] if "heldout_ppl" in r][:2] == [0, 20]


def test_two_processes_under_torchrun_train_the_model_one_process_trains(tmp_path):
    one, two = job(tmp_path / "one", dropout=0.0, epochs=0.5), job(tmp_path / "two", dropout=0.0, epochs=0.5)
    proc = subprocess.run([*SCRIPT, *arguments(one)], capture_output=True, text=True, env=ENV)
    assert proc.returncode == 0, proc.stderr
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]
    proc = subprocess.run([*torchrun, *SCRIPT[1:], *arguments(two), "--device", "cpu"],
                          capture_output=True, text=True, env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 process(es)" in proc.stderr
    # each process trains half of every batch; DDP's mean of their gradients is the
    # gradient of the whole batch: the same model up to float rounding
    a, b = final_weights(one), final_weights(two)
    for k in a:
        torch.testing.assert_close(a[k], b[k], rtol=1e-3, atol=1e-4)
    steps = [r["step"] for r in read_log(tmp_path / "two/out/training.jsonl") if "loss" in r]
    assert steps == sorted(set(steps))  # rank 0 logs alone


# --- the workflow -------------------------------------------------------------

def test_the_full_config_plans_the_three_norelmo_models_on_two_gpus_each():
    proc = snakemake("-n", "-p", "elmo", env=FULL_RUN_ENV)
    counts = job_counts(proc.stdout)
    assert counts["pretrain_elmo"] == 3
    assert proc.stdout.count("torch.distributed.run --standalone --nproc_per_node 2") == 3
    for name in ("norelmo30", "norelmo100", "norelmo30-lemmas"):
        assert f"results/elmo/{name}/model.hdf5" in proc.stdout


@pytest.mark.parametrize("change, message", [
    ({"sizes": {"small": {"filters": [[1, 8]], "projection_dim": 16}}}, "elmo.sizes.small.filters: they add up to 8"),
    ({"models": {"m": {"vocab": "tokens-1k", "size": "huge"}}}, "elmo.models.m.size: 'huge' is not in elmo.sizes"),
    ({"models": {"m": {"vocab": "nowhere", "size": "tiny"}}}, "elmo.models.m.vocab: 'nowhere' is not in vocab.elmo"),
])
def test_a_bad_elmo_config_fails_before_any_job_naming_the_key(tmp_path, change, message):
    config = demo_config()
    config["elmo"] = {"models": {"m": {"vocab": "tokens-1k", "size": "small"}}, **change}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    proc = snakemake("-n", "--configfile", str(tmp_path / "config.yaml"), "--directory", str(tmp_path), check=False)
    assert proc.returncode != 0 and message in proc.stdout + proc.stderr


def test_the_demo_trains_and_exports_both_tiny_elmos_and_perplexity_falls(demo_run):
    config = demo_config()
    models = config["elmo"]["models"]
    assert {config["vocab"]["elmo"][m["vocab"]]["corpus"] for m in models.values()} == {"tokens", "lemmas"}
    for name, settings in models.items():
        out = demo_run / "results/elmo" / name
        log = read_log(out / "training.jsonl")
        ppl = [r["heldout_ppl"] for r in log if "heldout_ppl" in r]
        assert log[0]["step"] == 0 and ppl[-1] < ppl[0] / 4, (name, ppl)
        assert all(np.isfinite(r["loss"]) for r in log if "loss" in r)
        vocab = demo_run / "results/vocab/elmo" / settings["vocab"] / "vocab.txt"
        assert (out / "vocab.txt").read_bytes() == vocab.read_bytes()
        options = json.loads((out / "options.json").read_text())
        assert options["n_tokens_vocab"] == len(vocab.read_text().splitlines())


def test_the_demo_export_gives_the_trained_models_vectors(demo_run):
    out = demo_run / "results/elmo/tokens-tiny"
    options = json.loads((out / "options.json").read_text())
    size = size_from_options(options, out)
    cutoffs = demo_config()["elmo"]["models"]["tokens-tiny"]["softmax_cutoffs"]
    model = LanguageModel(size, options["n_tokens_vocab"], 0.0, cutoffs)
    state = torch.load(max((demo_run / "checkpoints/elmo/tokens-tiny").glob("step-*.pt")), weights_only=False)
    model.load_state_dict(state["model"])
    model.eval()
    with gzip.open(next((demo_run / "results/udpipe").glob("*/*.tokens.txt.gz")), "rt") as f:
        sentences = [line.split() for line in f if line.strip()][:20]
    batch = [torch.from_numpy(x) for x in chars.CharIds(size.max_chars).batch(sentences)]
    with torch.no_grad():
        expected = model.bilm.layers(*batch).numpy()
    got = Embedder(out, batch_size=7)(sentences, layers="all")
    for b, sentence in enumerate(sentences):
        np.testing.assert_allclose(got[b], expected[:, b, 1 : len(sentence) + 1], rtol=1e-5, atol=1e-5)
