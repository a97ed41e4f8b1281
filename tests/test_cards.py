"""Model and corpus cards (smie/cards.py, rules/cards.smk), and what the training logs
tell while a run goes on: elapsed time, time left, TensorBoard event files."""

import json
import re
import statistics
import time
from pathlib import Path

import pytest
import yaml

from conftest import demo_config
from smie import cards
from smie.training import Progress, Scalars, TrainingLog, clock, read_log


def card(path: Path) -> tuple[dict, str]:
    """A README.md's YAML metadata and Markdown body (table cells without their padding)."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    meta, body = text[len("---\n"):].split("\n---\n", 1)
    return yaml.safe_load(meta), re.sub(r" +", " ", body)


def scalars(directory: Path) -> dict[str, list[tuple[int, float]]]:
    """Every scalar series of a TensorBoard run, as TensorBoard itself reads it."""
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(directory))
    events.Reload()
    return {tag: [(e.step, e.value) for e in events.Scalars(tag)] for tag in events.Tags()["scalars"]}


# --- units ----------------------------------------------------------------------------

def test_progress_counts_the_resumed_time_and_estimates_the_rest_from_this_attempts_pace():
    progress = Progress(total=100, step=40, before=1000.0)  # resumed at step 40, 1000 s in
    assert progress.at(40)["remaining_seconds"] is None and "remaining unknown" in progress.line(40)
    time.sleep(0.3)
    times = progress.at(60)  # 20 steps done in this attempt, 40 to go: twice the time spent
    spent = times["elapsed_seconds"] - 1000.0
    assert spent >= 0.25 and times["remaining_seconds"] == pytest.approx(2 * spent, abs=0.15)
    assert progress.line(60).startswith("smie: step 60/100 (60%), elapsed 0:16:4")
    assert clock(3725) == "1:02:05" and clock(90061) == "25:01:01"


def test_a_resumed_runs_events_read_as_one_run_and_a_fresh_start_forgets_the_old_ones(tmp_path):
    first = Scalars(tmp_path)
    for step in range(1, 9):
        first.write({"step": step, "loss": float(step), "elapsed_seconds": 1.0})
    first.close()  # as if killed after step 8, its checkpoint at step 4 (training.jsonl cut there)
    resumed = Scalars(tmp_path, replay=[{"step": step, "loss": float(step)} for step in range(1, 5)])
    for step in range(5, 9):
        resumed.write({"step": step, "loss": 100.0 + step})
    resumed.close()
    read = scalars(tmp_path)
    assert set(read) == {"train/loss"}  # counters and times are not curves
    assert read["train/loss"] == [(1, 1.0), (2, 2.0), (3, 3.0), (4, 4.0), (5, 105.0), (6, 106.0), (7, 107.0),
                                  (8, 108.0)]

    fresh = Scalars(tmp_path)
    fresh.write({"step": 1, "heldout_ppl": 7.5, "heldout_sentences": 3})
    fresh.close()
    assert scalars(tmp_path) == {"heldout/ppl": [(1, 7.5)], "heldout/sentences": [(1, 3.0)]}


def test_a_training_log_replays_what_it_holds_on_the_main_rank_only(tmp_path):
    log = TrainingLog(tmp_path / "training.jsonl")
    assert log.records() == []  # a fresh start: no file yet
    for step in (1, 2, 3):
        log.write({"step": step, "loss": 1.0 / step})
    log.truncate_after(2)  # resumed from the checkpoint of step 2
    assert log.records() == read_log(log.path) == [{"step": 1, "loss": 1.0}, {"step": 2, "loss": 0.5}]
    assert TrainingLog(log.path, enabled=False).records() == []  # another rank replays nothing


def test_the_licence_is_the_configs_or_the_sources_one_or_says_it_is_not_one():
    def sources(*licences):
        return {f"s{i}": {"kind": "text", "license": lic, "dataset": None} for i, lic in enumerate(licences)}

    assert cards.licence({"license": "apache-2.0", "sources": sources("cc0-1.0")}) == "apache-2.0"
    assert cards.licence({"license": None, "sources": sources("cc0-1.0", "cc0-1.0")}) == "cc0-1.0"
    assert cards.licence({"license": None, "sources": sources("cc0-1.0", "cc-by-nc-4.0")}) == "other"
    assert cards.licence({"license": None, "sources": sources("cc0-1.0", None)}) == "other"
    assert cards.licence({"license": None, "sources": sources(None, None)}) == "unknown"


# --- the demo's cards -----------------------------------------------------------------

CONFIG = demo_config()


def records(demo_run, model):
    return [json.loads(p.read_text()) for p in sorted((demo_run / "results/evaluate").glob(f"*/{model}/seed*.json"))]


def assert_scores(body, demo_run, model):
    found = records(demo_run, model)
    assert {r["task"] for r in found} == set(CONFIG["evaluate"]["tasks"])
    for task in CONFIG["evaluate"]["tasks"]:
        tests = [r["test"] for r in found if r["task"] == task]
        assert len(tests) == len(CONFIG["evaluate"]["seeds"])
        assert f"| {task} | " in body and f"{statistics.fmean(tests):.3f} ± {statistics.stdev(tests):.3f}" in body


def assert_hub_metadata(meta, pipeline_tag):
    assert meta["language"] == CONFIG["languages"]
    assert meta["license"] == CONFIG["cards"]["license"]
    assert meta["pipeline_tag"] == pipeline_tag and "datasets" not in meta  # no demo source is on the Hub


def test_bert_cards_tell_the_facts_of_their_run(demo_run):
    for model, spec in CONFIG["bert"]["models"].items():
        phases = len(spec["phases"])
        final = demo_run / f"results/bert/{model}/phase{phases}"
        meta, body = card(final / "README.md")
        assert_hub_metadata(meta, "fill-mask")
        assert meta["library_name"] == "transformers"
        config = json.loads((final / "config.json").read_text())
        assert f"vocabulary of\n{config['vocab_size']:,} pieces" in body
        log = read_log(final / "training.jsonl")
        for number, phase in enumerate(spec["phases"], 1):
            last = [r for r in log if r["phase"] == number][-1]
            assert last["step"] == phase["steps"]
            assert f"| {number} | {phase['seq_length']} | {last['step']:,} | {phase['batch_size']} |" in body
            assert f"| {last['loss']:.4f} | {last['mlm_loss']:.4f} |" in body
        nsp, wwm = spec.get("nsp", True), spec.get("whole_word_masking", False)
        assert ("and next-sentence prediction" in body) == nsp and ("without next-sentence" in body) != nsp
        assert ("whole words masked together" in body) == wwm
        lowercase = CONFIG["vocab"]["wordpiece"][spec["vocab"]].get("lowercase", False)
        assert f"{'uncased' if lowercase else 'cased'} WordPiece" in body
        assert_scores(body, demo_run, model)
        if phases > 1:  # an earlier phase's export has a card too, without scores
            meta, body = card(demo_run / f"results/bert/{model}/phase1/README.md")
            assert meta["pipeline_tag"] == "fill-mask" and "intermediate export" in body
            assert "Only the last phase is evaluated" in body


def test_elmo_cards_tell_simple_elmo_users_to_turn_the_warm_up_off(demo_run):
    for model, spec in CONFIG["elmo"]["models"].items():
        out = demo_run / f"results/elmo/{model}"
        meta, body = card(out / "README.md")
        assert_hub_metadata(meta, "feature-extraction")
        usage = body.split("```python\n")[1].split("```")[0]
        assert "ElmoModel()" in usage and "warmup=False" in usage
        vocab = [w for w in (out / "vocab.txt").read_text().splitlines() if w]
        assert f"a vocabulary of {len(vocab):,} " in body
        log = read_log(out / "training.jsonl")
        last = [r for r in log if "loss" in r][-1]
        heldout = [r for r in log if r.get("heldout_ppl")][-1]
        assert f"| steps | {last['step']:,} |" in body and f"| final training perplexity | {last['ppl']:.2f} |" in body
        assert f"| held-out perplexity | {heldout['heldout_ppl']:.2f} |" in body
        assert_scores(body, demo_run, model)


def test_the_corpus_card_counts_what_every_stage_kept(demo_run):
    meta, body = card(demo_run / "results/dedup/README.md")
    assert meta["language"] == CONFIG["languages"] and meta["license"] == CONFIG["cards"]["license"]
    for source in CONFIG["sources"]:
        row = [line for line in body.splitlines() if line.startswith(f"| {source} | ") and " / " in line]
        assert len(row) == 1
        for stage in ("clean", "langid", "dedup"):
            stats = [json.loads(p.read_text()) for p in (demo_run / "results" / stage / source).glob("*.stats.json")]
            kept = (sum(s["documents"]["kept"] for s in stats), sum(s["words"]["kept"] for s in stats))
            assert f"| {kept[0]:,} / {kept[1]:,} |" in row[0], (stage, row[0])


# --- the demo's training logs ---------------------------------------------------------

def test_training_logs_give_the_time_and_tensorboard_the_same_curves(demo_run):
    for family, out, runs in [("bert", "results/bert/tiny/phase2", ["phase1", "phase2"]),
                              ("elmo", "results/elmo/tokens-tiny", [""])]:
        log = read_log(demo_run / out / "training.jsonl")
        training = [r for r in log if "loss" in r]
        assert all(r["elapsed_seconds"] > 0 for r in training) and training[-1]["remaining_seconds"] == 0
        for phase, run in enumerate(runs, 1):
            lines = [r for r in training if r.get("phase", 1) == phase]
            curve = scalars(demo_run / out / "runs" / run)["train/loss"]
            assert [s for s, _ in curve] == [r["step"] for r in lines]
            assert [v for _, v in curve] == pytest.approx([r["loss"] for r in lines], rel=1e-6)  # float32
    elmo = scalars(demo_run / "results/elmo/tokens-tiny/runs")["heldout/ppl"]
    assert [v for _, v in elmo] == pytest.approx([r["heldout_ppl"] for r in log if r.get("heldout_ppl")], rel=1e-6)
    job_log = (demo_run / "logs/bert/tiny/phase1.log").read_text()
    assert "smie: step 60/60 (100%), elapsed " in job_log and ", remaining 0:00:00" in job_log
