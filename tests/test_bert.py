"""BERT pretraining: sequences, masking, resume after a kill, export, and the demo's models."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch

from conftest import REPO, TIMED, wait_for
from smie.bert.data import IGNORE, DataSettings, Sequences, build_sequences, write_shard
from smie.bert.masking import Vocabulary, mask_batch
from smie.bert.model import token_types
from smie.training import INTERRUPTED, Checkpoints, learning_rate, read_log
from test_vocab import CORPUS, SENTENCE, train, write_gz


def synthetic_docs(n_docs, rng):
    """Documents whose token ids say where they come from: doc * 10000 + position."""
    docs = []
    for d in range(n_docs):
        lengths = rng.integers(3, 40, size=rng.integers(1, 12))
        start = np.cumsum([0, *lengths])
        docs.append([np.arange(s, s + n) + d * 10000 for s, n in zip(start, lengths)])
    return docs


@pytest.mark.parametrize("nsp", [True, False])
def test_sequences_stay_within_documents_and_fit(nsp):
    rng = np.random.default_rng(0)
    docs = synthetic_docs(200, rng)
    seqs = list(build_sequences(docs, 64, nsp, DataSettings(), np.random.default_rng(1)))
    limit = 64 - (3 if nsp else 2)
    assert all(len(a) + len(b) <= limit for a, b, _ in seqs)
    for a, b, label in seqs:
        assert len({t // 10000 for t in a}) == 1  # A from one document
        if label == 0:  # B continues A in the same document
            assert b[0] // 10000 == a[0] // 10000 and b[0] > a[-1]
        if label == 1:
            assert b[0] // 10000 != a[0] // 10000
    if nsp:
        labels = [label for _, _, label in seqs if label != IGNORE]
        assert 0.35 < np.mean(labels) < 0.65
    else:
        assert {label for *_, label in seqs} == {IGNORE}
        # every token of the corpus is used once, except what long sentences lost to the cut
        used = sum(len(a) for a, _, _ in seqs)
        assert 0.9 * sum(len(s) for d in docs for s in d) < used


def test_a_shard_becomes_padded_sequences_with_stats(tmp_path):
    from tokenizers import Tokenizer

    wp, _ = train(tmp_path)
    tok = Tokenizer.from_file(str(wp / "tokenizer.json"))
    sentences = write_gz(tmp_path / "s.txt.gz", "\n".join([CORPUS] * 20))
    stats = write_shard(sentences, tok, 32, True, DataSettings(), tmp_path / "ids.npy", tmp_path / "nsp.npy", "x/0000")
    ids, nsp = np.load(tmp_path / "ids.npy"), np.load(tmp_path / "nsp.npy")
    assert ids.dtype == np.uint16 and ids.shape == (stats["sequences"], 32) and len(nsp) == len(ids)
    cls, sep, pad = (tok.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))
    assert (ids[:, 0] == cls).all()
    for row, label in zip(ids, nsp):
        n_sep = (row == sep).sum()
        assert n_sep == (1 if label == IGNORE else 2)
        real = row[row != pad]
        assert real[-1] == sep and (row[len(real):] == pad).all()
    assert stats["documents"] == 60 and stats["tokens"] == int((ids != pad).sum())
    # the same shard name gives the same file
    write_shard(sentences, tok, 32, True, DataSettings(), tmp_path / "ids2.npy", tmp_path / "nsp2.npy", "x/0000")
    assert (np.load(tmp_path / "ids2.npy") == ids).all()


def test_sequence_order_is_a_fresh_permutation_per_epoch(tmp_path):
    for i, n in enumerate([5, 7]):
        np.save(tmp_path / f"{i}.ids.npy", (np.arange(n * 4).reshape(n, 4) + 100 * i).astype(np.uint16))
        np.save(tmp_path / f"{i}.nsp.npy", np.zeros(n, dtype=np.int8))
    data = Sequences([tmp_path / "0.ids.npy", tmp_path / "1.ids.npy"], [tmp_path / "0.nsp.npy", tmp_path / "1.nsp.npy"], 3)
    first, _ = data.batch(0, 12)
    second, _ = data.batch(12, 12)
    assert sorted(map(tuple, first)) == sorted(map(tuple, second))  # each epoch: every sequence once
    assert [tuple(r) for r in first] != [tuple(r) for r in second]
    across, _ = data.batch(10, 4)  # straddles the epoch boundary
    assert (across[:2] == first[10:]).all() and (across[2:] == second[:2]).all()


def test_masking_rates_specials_and_whole_words(tmp_path):
    from tokenizers import Tokenizer

    wp, _ = train(tmp_path)
    tok = Tokenizer.from_file(str(wp / "tokenizer.json"))
    vocab = Vocabulary.of(tok, torch.device("cpu"))
    enc = tok.encode_batch([line for line in CORPUS.splitlines() if line] * 40 + [SENTENCE] * 100)
    width = max(len(e.ids) for e in enc)
    ids = torch.tensor([e.ids + [0] * (width - len(e.ids)) for e in enc])
    g = torch.Generator().manual_seed(0)
    inputs, labels = mask_batch(ids, vocab, 0.15, False, g)
    candidates = ~vocab.special[ids]
    selected = labels != IGNORE
    assert not (selected & ~candidates).any()  # [CLS] [SEP] [PAD] never
    assert 0.13 < selected.sum() / candidates.sum() < 0.17
    assert (labels[selected] == ids[selected]).all()
    masked = (inputs == vocab.mask_id)[selected].float().mean()
    kept = (inputs == ids)[selected].float().mean()
    assert 0.75 < masked < 0.85 and 0.07 < kept < 0.15
    assert (inputs[~selected] == ids[~selected]).all()

    _, labels = mask_batch(ids, vocab, 0.15, True, g)
    selected = labels != IGNORE
    continuation = vocab.continuation[ids]
    # a continuation piece is selected exactly when the piece before it is
    assert continuation[:, 1:].any()
    assert (selected[:, 1:][continuation[:, 1:]] == selected[:, :-1][continuation[:, 1:]]).all()


def test_token_types_switch_after_the_first_sep():
    ids = torch.tensor([[2, 7, 8, 3, 9, 3, 0, 0], [2, 7, 3, 0, 0, 0, 0, 0]])
    assert token_types(ids, 3).tolist() == [[0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1, 1, 1]]


def test_learning_rate_warms_up_then_decays_to_zero():
    lrs = [learning_rate(s, 100, 1.0, 0.1) for s in range(100)]
    assert lrs[0] == pytest.approx(0.1) and lrs[9] == pytest.approx(1.0)
    assert all(a >= b for a, b in zip(lrs[9:], lrs[10:])) and lrs[-1] == pytest.approx(1 / 90)
    assert learning_rate(99, 100, 1.0, 0.1, "cosine") < 0.01
    assert learning_rate(50, 100, 1.0, 0.1, "constant") == 1.0


def test_checkpoints_keep_the_newest_and_refuse_other_settings(tmp_path):
    ck = Checkpoints(tmp_path, {"a": 1}, keep=2)
    for step in (10, 20, 30):
        ck.save(step, {"x": torch.tensor([step])})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["step-00000020.pt", "step-00000030.pt"]
    assert ck.load_latest()["x"].item() == 30
    assert Checkpoints(tmp_path, {"a": 2}).load_latest() is None
    assert not list(tmp_path.iterdir())  # the other run's checkpoints are gone


# --- training through the demo's data ---------------------------------------------

def spec(demo_run, tmp_path, steps=30, **settings):
    """The script's arguments as the pretrain_bert rule gives them: what the model depends
    on (--settings) and where and how the job runs (--job)."""
    return {
        "model": "t",
        "settings": {"vocab": "cased-2k", "size": "tiny", **settings},
        "phase": 1,
        "phase_settings": {"seq_length": 128, "steps": steps, "batch_size": 16, "micro_batch": 8, "lr": 1e-3,
                           "warmup": 0.1},
        "size": {"hidden": 64, "layers": 2, "heads": 2, "intermediate": 128},
    }, {
        "runtime": {"checkpoint_every": 10, "log_every": 5},
        "data": str(demo_run / "results/bert/data/cased-2k/seq128-nsp/index.json"),
        "tokenizer": str(demo_run / "results/vocab/wordpiece/cased-2k"),
        "init": None,
        "out": str(tmp_path / "out"),
        "checkpoints": str(tmp_path / "checkpoints"),
        "threads": 1,
    }


def arguments(job):
    settings, where = job
    return ["--settings", json.dumps(settings), "--job", json.dumps(where)]


def start(job, **kwargs):
    return subprocess.Popen([sys.executable, str(REPO / "scripts/pretrain_bert.py"), *arguments(job)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)


def weights(out):
    from safetensors.torch import load_file

    return load_file(str(out / "model.safetensors"))


def test_a_killed_and_a_stopped_run_resume_and_end_where_an_uninterrupted_run_ends(demo_run, tmp_path):
    runs = {}
    for name in ("whole", "cut"):
        runs[name] = spec(demo_run, tmp_path / name, steps=60)
        runs[name][1]["runtime"]["log_every"] = 4  # checkpoints (every 10) fall between log lines
    assert start(runs["whole"]).wait() == 0

    proc = start(runs["cut"])
    wait_for(tmp_path / "cut/checkpoints/step-00000010.pt", proc)
    proc.send_signal(signal.SIGKILL)  # a crash: no chance to save anything
    proc.wait()
    assert not (tmp_path / "cut/out/model.safetensors").exists()
    proc = start(runs["cut"])
    wait_for(tmp_path / "cut/checkpoints/step-00000020.pt", proc)
    proc.send_signal(signal.SIGTERM)  # Slurm's walltime warning: a checkpoint at the step it is in
    output = proc.communicate(timeout=60)[0]
    assert proc.returncode == INTERRUPTED and "resuming from" in output, output
    rerun = start(runs["cut"])
    output = rerun.communicate()[0]
    assert rerun.returncode == 0, output

    a, b = weights(tmp_path / "whole/out"), weights(tmp_path / "cut/out")
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    # the log reads as one run, each step once, with the same figures
    logs = [[{k: v for k, v in r.items() if not k.endswith(TIMED)} for r in read_log(tmp_path / n / "out/training.jsonl")]
            for n in ("whole", "cut")]
    assert [r["step"] for r in logs[1]] == list(range(4, 61, 4))
    assert logs[0] == logs[1]
    # TensorBoard reads the three attempts' event files as one run too, with the log's numbers
    from test_cards import scalars

    curves = [scalars(tmp_path / n / "out/runs/phase1")["train/loss"] for n in ("whole", "cut")]
    assert [step for step, _ in curves[1]] == list(range(4, 61, 4)) and curves[0] == curves[1]
    assert [v for _, v in curves[1]] == pytest.approx([r["loss"] for r in logs[1]], rel=1e-6)


def test_sigterm_saves_a_checkpoint_and_exits_for_a_retry(demo_run, tmp_path):
    job = spec(demo_run, tmp_path, steps=100000)
    proc = start(job)
    wait_for(tmp_path / "checkpoints/training.jsonl", proc)
    proc.send_signal(signal.SIGTERM)  # what Slurm sends before a walltime kill
    output = proc.communicate(timeout=60)[0]
    assert proc.returncode == INTERRUPTED, output
    saved = sorted((tmp_path / "checkpoints").glob("step-*.pt"))
    assert saved and f"checkpoint at step {int(saved[-1].stem[5:])} saved" in output


def test_two_processes_under_torchrun_train_one_model(demo_run, tmp_path):
    job = spec(demo_run, tmp_path, steps=10)
    torchrun = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2"]
    proc = subprocess.run([*torchrun, str(REPO / "scripts/pretrain_bert.py"), *arguments(job)],
                          capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    log = read_log(tmp_path / "out/training.jsonl")
    assert [r["step"] for r in log] == [5, 10]  # rank 0 logs alone
    assert "2 process(es)" in proc.stderr and "1 micro-batch(es)" in proc.stderr


# --- the demo DAG -------------------------------------------------------------------

def test_demo_tiny_bert_loss_falls_over_both_phases(demo_run):
    log = read_log(demo_run / "results/bert/tiny/phase2/training.jsonl")
    assert {r["phase"] for r in log} == {1, 2}
    first, last = log[0]["mlm_loss"], min(r["mlm_loss"] for r in log if r["phase"] == 1)
    assert last < first - 0.5, (first, last)
    assert all(np.isfinite(r["loss"]) and r["sequences_per_s"] > 0 for r in log)
    wwm = read_log(demo_run / "results/bert/tiny-wwm/phase1/training.jsonl")
    assert wwm[-1]["mlm_loss"] < wwm[0]["mlm_loss"] - 0.5 and "nsp_loss" not in wwm[0]


def test_demo_export_loads_in_transformers_and_fills_a_mask(demo_run):
    from transformers import AutoModelForMaskedLM, AutoTokenizer, pipeline

    final = demo_run / "results/bert/tiny/phase2"
    model = AutoModelForMaskedLM.from_pretrained(final)
    tokenizer = AutoTokenizer.from_pretrained(final)
    assert model.config.hidden_size == 128 and tokenizer.convert_tokens_to_ids("[MASK]") == 4
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer)
    answers = fill("Oslo er [MASK] i Norge.")
    assert len(answers) == 5 and all(a["token_str"].strip() for a in answers)
    assert all(a["sequence"].startswith("Oslo er") for a in answers)
    # phase 2 started from phase 1's weights, not from scratch
    p1, p2 = weights(demo_run / "results/bert/tiny/phase1"), weights(final)
    key = "bert.embeddings.word_embeddings.weight"
    assert (p1[key] - p2[key]).abs().max() < 0.1 * p1[key].abs().max()
