"""Evaluation: the data readers on small inline files and the metrics on hand-computed cases."""

import json
import re

import pytest

from conftest import REPO
from smie.documents import InputError
from smie.evaluate.data import read_conllu_upos, read_sentiment
from smie.evaluate.metrics import accuracy, f1_per_class, macro_f1, mean_std

CONLLU = """\
# sent_id = s1
# text = Vi går ikke.
1\tVi\tvi\tPRON\t_\t_\t2\tnsubj\t_\t_
2\tgår\tgå\tVERB\t_\t_\t0\troot\t_\t_
3\tikke\tikke\tPART\t_\t_\t2\tadvmod\t_\tSpaceAfter=No
4\t.\t.\tPUNCT\t_\t_\t2\tpunct\t_\t_

# sent_id = s2
1-2\tdu'kke\t_\t_\t_\t_\t_\t_\t_\t_
1\tdu\tdu\tPRON\t_\t_\t0\troot\t_\t_
2\tikke\tikke\tPART\t_\t_\t1\tadvmod\t_\t_
2.1\tx\tx\tX\t_\t_\t_\t_\t_\t_
"""


def test_conllu_words_and_tags_without_ranges_or_empty_nodes(tmp_path):
    path = tmp_path / "a.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    s1, s2 = read_conllu_upos(path)
    assert (s1.id, s1.words, s1.tags) == ("s1", ("Vi", "går", "ikke", "."), ("PRON", "VERB", "PART", "PUNCT"))
    assert (s2.id, s2.words, s2.tags) == ("s2", ("du", "ikke"), ("PRON", "PART"))


@pytest.mark.parametrize("bad, message", [
    ("1\tVi\tvi\tPRON\n", "a.conllu:1: a CoNLL-U word line has 10 tab-separated columns, found 4"),
    ("1\tVi\tvi\tPRN\t_\t_\t_\t_\t_\t_\n", "a.conllu:1: 'PRN' is not a UPOS tag"),
    ("# only a comment\n", "a.conllu: no sentences"),
])
def test_conllu_errors_name_the_file_and_line(tmp_path, bad, message):
    path = tmp_path / "a.conllu"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_conllu_upos(path)


def test_sentiment_reader_and_its_errors(tmp_path):
    path = tmp_path / "dev.json"
    path.write_text(json.dumps([{"sent_id": "1", "text": "Bra!", "label": "Positive"},
                                {"sent_id": "2", "text": "Dårlig.", "label": "Negative"}]))
    assert [(s.id, s.label) for s in read_sentiment(path, ("Negative", "Positive"))] == [("1", "Positive"), ("2", "Negative")]
    path.write_text(json.dumps([{"sent_id": "3", "text": "Tja.", "label": "Neutral"}]))
    with pytest.raises(InputError, match=r"dev.json: item 0 \(3\) has label 'Neutral'"):
        read_sentiment(path, ("Negative", "Positive"))
    path.write_text("[{")
    with pytest.raises(InputError, match="dev.json: not JSON"):
        read_sentiment(path, ("Negative", "Positive"))


def test_metrics_by_hand():
    gold = ["P", "P", "P", "N", "N", "U"]
    pred = ["P", "P", "N", "N", "P", "P"]
    assert accuracy(gold, pred) == pytest.approx(3 / 6)
    # P: tp 2, fp 2, fn 1 -> 4/7; N: tp 1, fp 1, fn 1 -> 1/2; U: tp 0 -> 0
    assert f1_per_class(gold, pred, ["P", "N", "U"]) == pytest.approx({"P": 4 / 7, "N": 0.5, "U": 0.0})
    assert macro_f1(gold, pred, ["P", "N", "U"]) == pytest.approx((4 / 7 + 0.5) / 3)
    assert macro_f1(gold, gold, ["P", "N", "U"]) == 1.0
    assert mean_std([1.0, 2.0, 3.0]) == pytest.approx((2.0, 1.0))
    assert mean_std([0.7]) == (0.7, 0.0)
    with pytest.raises(ValueError, match="6 gold labels but 5 predictions"):
        accuracy(gold, pred[:5])


# --- fine-tuning the demo's tiny BERT -----------------------------------------------

def sentiment_sentences(n, seed):
    """Template reviews whose polarity lies in one word: a classifier must find it."""
    import random

    from smie.evaluate.data import LabelledSentence

    rng = random.Random(seed)
    words = {"Positive": ["bra", "fantastisk", "herlig", "flott"], "Negative": ["dårlig", "kjedelig", "elendig", "svak"]}
    things = ["Filmen", "Boka", "Maten", "Konserten", "Hotellet", "Turen"]
    out = []
    for i in range(n):
        label = rng.choice(sorted(words))
        text = f"{rng.choice(things)} var {'veldig ' if rng.random() < 0.5 else ''}{rng.choice(words[label])} i går."
        out.append(LabelledSentence(f"{seed}-{i}", text, label))
    return out


def test_the_tiny_bert_learns_demo_pos_tags_far_above_the_majority_tag(demo_run):
    from collections import Counter

    from smie.evaluate.bert import FineTuning, finetune_tagger

    sentences = read_conllu_upos(REPO / "demo/treebank/nb.conllu")
    train, dev, test = sentences[:200], sentences[200:250], sentences[250:300]
    result = finetune_tagger(str(demo_run / "results/bert/tiny/phase2"), train, dev, test,
                             FineTuning(epochs=2, lr=1e-3, batch_size=16), seed=1)
    tags = [t for s in dev for t in s.tags]
    majority = Counter(tags).most_common(1)[0][1] / len(tags)
    assert result.dev > majority + 0.4 and result.test > majority + 0.4, (result, majority)
    assert result.best_epoch in (1, 2) and result.minutes > 0


def test_the_tiny_bert_learns_sentiment_and_a_seed_gives_the_same_scores(demo_run):
    from smie.evaluate.bert import FineTuning, finetune_classifier

    model = str(demo_run / "results/bert/tiny/phase2")
    args = (sentiment_sentences(160, 0), sentiment_sentences(40, 1), sentiment_sentences(40, 2),
            ["Negative", "Positive"], FineTuning(epochs=5, lr=1e-3, batch_size=16))
    first = finetune_classifier(model, *args, seed=3)
    assert first.dev >= 0.9 and first.test >= 0.9, first
    again = finetune_classifier(model, *args, seed=3)
    assert (again.dev, again.test, again.best_epoch) == (first.dev, first.test, first.best_epoch)


def test_a_tagger_on_the_frozen_demo_elmo_learns_pos_and_leaves_elmo_unchanged(demo_run):
    from collections import Counter

    from smie.evaluate.elmo import Probing, train_tagger

    model = demo_run / "results/elmo/tokens-tiny"
    weights = (model / "model.hdf5").read_bytes()
    sentences = read_conllu_upos(REPO / "demo/treebank/nb.conllu")
    train, dev, test = sentences[:200], sentences[200:250], sentences[250:300]
    result = train_tagger(str(model), train, dev, test, Probing(epochs=8, lr=1e-2), seed=1)
    tags = [t for s in dev for t in s.tags]
    majority = Counter(tags).most_common(1)[0][1] / len(tags)
    assert result.dev > majority + 0.3 and result.test > majority + 0.3, (result, majority)
    assert 1 <= result.best_epoch <= 8 and result.minutes > 0
    assert (model / "model.hdf5").read_bytes() == weights  # frozen


def test_a_classifier_on_the_frozen_demo_elmo_learns_sentiment_and_a_seed_gives_the_same_scores(demo_run):
    from smie.evaluate.elmo import Probing, train_classifier

    model = str(demo_run / "results/elmo/tokens-tiny")
    args = (sentiment_sentences(160, 0), sentiment_sentences(40, 1), sentiment_sentences(40, 2),
            ["Negative", "Positive"], Probing(epochs=15, lr=1e-2))
    first = train_classifier(model, *args, seed=3)
    assert first.dev >= 0.8 and first.test >= 0.8, first
    again = train_classifier(model, *args, seed=3)
    assert (again.dev, again.test, again.best_epoch) == (first.dev, first.test, first.best_epoch)


def test_an_empty_sentence_pools_to_zeros_not_nan():
    import torch

    from smie.evaluate.elmo import Classifier

    head = Classifier([torch.ones(2, 4), torch.zeros(3, 4)], hidden=3, n_labels=2, dropout=0.0)
    x = torch.zeros(2, 3, 4)
    x[0, :2] = 1.0
    out = head(x, torch.tensor([2, 0]))
    assert torch.isfinite(out).all()
    assert torch.equal(head.scale.mean, torch.full((4,), 0.5))  # standardized by the training sentences' means


def test_the_demo_ends_with_the_results_table_of_every_model_and_task(demo_run):
    import csv

    from conftest import demo_config

    config = demo_config()
    tasks, models = list(config["evaluate"]["tasks"]), list(config["bert"]["models"]) + list(config["elmo"]["models"])
    seeds = config["evaluate"]["seeds"]
    for task in tasks:
        for model in models:
            for seed in seeds:
                record = json.loads((demo_run / f"results/evaluate/{task}/{model}/seed{seed}.json").read_text())
                assert 0 <= record["test"] <= 1 and record["minutes"] > 0
    rows = list(csv.DictReader(open(demo_run / "results/tables/results.csv")))
    assert sorted((r["task"], r["model"]) for r in rows) == sorted((t, m) for t in tasks for m in models)
    md = re.sub(r" +", " ", (demo_run / "results/tables/results.md").read_text())
    assert md.startswith("| task | " + " | ".join(models) + " |") and " - |" not in md
    for model in ("tiny", "tokens-tiny"):  # a fine-tuned BERT, a frozen ELMo
        pos = next(r for r in rows if r["task"] == "pos-nb" and r["model"] == model)
        assert float(pos["test_mean"]) > 75, pos  # the demo's tags are learnable: far above the majority tag
    assert "Config " in md and "transformers 5.23.0" in md
    tex = (demo_run / "results/tables/results.tex").read_text()
    assert r"\begin{tabular}" in tex and r"\toprule" in tex and r"\label{tab:results}" in tex
    assert tex.count(r"\textbf{") >= len(tasks)  # the best of every task


def test_a_baseline_directory_gets_its_column(demo_run, tmp_path):
    import shutil

    import yaml

    from conftest import demo_config, snakemake

    run = tmp_path / "run"
    shutil.copytree(demo_run, run, symlinks=True)  # copies keep their times: only the new jobs run
    baseline = tmp_path / "my-bert"
    shutil.copytree(demo_run / "results/bert/tiny/phase1", baseline)
    elmo = tmp_path / "my-elmo"
    shutil.copytree(demo_run / "results/elmo/lemmas-tiny", elmo)
    config = demo_config()
    config["evaluate"]["baselines"] = {"my-bert": {"kind": "bert", "path": str(baseline)},
                                       "my-elmo": {"kind": "elmo", "path": str(elmo)}}
    config["evaluate"]["tasks"] = {"pos-nb": config["evaluate"]["tasks"]["pos-nb"]}
    changed = tmp_path / "config.yaml"
    changed.write_text(yaml.safe_dump(config, sort_keys=False))
    dry = snakemake("-n", "--configfile", str(changed), "--directory", str(run), "evaluate").stdout
    assert "evaluate_model" in dry and "pretrain_bert" not in dry and "udpipe_shard" not in dry
    snakemake("--configfile", str(changed), "--directory", str(run), "--cores", "2", "evaluate")
    header = re.sub(r" +", " ", (run / "results/tables/results.md").read_text().splitlines()[0])
    assert header == "| task | tiny | tiny-wwm | tokens-tiny | lemmas-tiny | my-bert | my-elmo |"
    for name in ("my-bert", "my-elmo"):
        records = sorted((run / "results/evaluate/pos-nb" / name).glob("seed*.json"))
        assert len(records) == len(config["evaluate"]["seeds"]), name
    # the ELMo baseline is the demo's lemmas-tiny under another name: the same scores
    for record in records:
        same = json.loads((run / "results/evaluate/pos-nb/lemmas-tiny" / record.name).read_text())
        assert json.loads(record.read_text())["test"] == same["test"]


def test_demo_eval_sets_are_their_generator_output(tmp_path, monkeypatch):
    import importlib.util
    import shutil

    shutil.copy(REPO / "demo/build_eval.py", tmp_path)
    shutil.copy(REPO / "demo/build_treebank.py", tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    spec = importlib.util.spec_from_file_location("build_eval", tmp_path / "build_eval.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    builder.main()  # writes under tmp_path/eval
    written = sorted(p.relative_to(tmp_path / "eval") for p in (tmp_path / "eval").rglob("*.*"))
    assert written == sorted(p.relative_to(REPO / "demo/eval") for p in (REPO / "demo/eval").rglob("*.*"))
    assert all((tmp_path / "eval" / p).read_bytes() == (REPO / "demo/eval" / p).read_bytes() for p in written)


def test_a_malformed_evaluation_file_fails_its_download_naming_the_line(tmp_path):
    import yaml

    from conftest import snakemake

    good = REPO / "demo/eval/pos/nb-dev.conllu"
    bad = tmp_path / "nb-train.conllu"
    bad.write_text(good.read_text(encoding="utf-8").replace("\tNOUN\t", "\tNOUN ", 1), encoding="utf-8")
    task = {"kind": "pos", "train": {"url": bad.as_uri()}, "dev": {"url": good.as_uri()},
            "test": {"url": (REPO / "demo/eval/pos/nb-test.conllu").as_uri()}}
    config = {"sources": {"html": {"kind": "html", "path": str(REPO / "demo/corpora/html")}},
              "evaluate": {"tasks": {"pos": task}}}
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config))
    proc = snakemake("resources/eval/pos/nb-train.conllu", "--configfile", str(tmp_path / "c.yaml"),
                     "--directory", str(tmp_path / "run"), "--cores", "1", check=False)
    assert proc.returncode != 0
    assert "nb-train.conllu:" in proc.stdout + proc.stderr and "10 tab-separated columns" in proc.stderr
    assert not (tmp_path / "run/resources/eval/pos/nb-train.conllu").exists()
    # the well-formed file downloads
    snakemake("resources/eval/pos/nb-dev.conllu", "--configfile", str(tmp_path / "c.yaml"),
              "--directory", str(tmp_path / "run"), "--cores", "1")
