"""Accuracy and speed of smie's language identification on real, held-out sentences.

Data (the shared data directory: env var SMIE_SHARED_DATA, default ``../shared/data``):

- Norwegian, held out: the ``# text =`` sentences of UD Norwegian-Bokmaal dev (gold
  ``nb``) and UD Norwegian-Nynorsk dev + test (``nn``). Document groups: each sentence
  is matched by its token forms to its NorNE/NDT file (``ap012_0003`` belongs to
  document ``ap012``) and each run of one document is cut into groups of at most
  ``--group`` sentences.
- Norwegian, training: the NDT *train* files (CoNLL-X, read by smie's own reader), the
  sentences the UD train split is made of.
- Other languages: the real UD sentences in ``langid/`` (Danish, Swedish, Icelandic,
  German, English dev files; Faroese train and dev). Faroese trains on its train file
  and is measured on its dev file; every other file is split in halves by a hash of the
  sentence (:func:`smie.vocab.is_heldout`, as the vocabularies hold out): one half trains, the other is
  measured. Document groups: runs of ``--group`` held-out sentences.

The discriminator is trained by smie's own code (:func:`smie.discriminator.build`) with
the settings the config gives by default; every system is smie's own
:class:`smie.langid.Judge` with the stage's settings, or a reference.

    .venv/bin/python bench/langid_accuracy.py [--group 8] [--lingua] [--set dim=32 --set epoch=25 ...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smie import discriminator  # noqa: E402
from smie.documents import Document, word_count  # noqa: E402
from smie.langid import CLD2_LABELS, _CLD2_REFUSES, Judge, Settings, _decide, identify_lingua, make_step  # noqa: E402
from smie.shard_filter import filter_shard  # noqa: E402

from real_text import ndt_sentences, read_conllu, require_shared_data  # noqa: E402

OTHER = ("da", "sv", "is", "fo", "en", "de")
NORWEGIAN = ("nb", "nn")
LENGTHS = ((1, 4), (5, 9), (10, 19), (20, None))


# --- data -------------------------------------------------------------------------------


def groups(sentences: list[str], size: int) -> list[str]:
    """A run of sentences cut into near-equal groups of at most ``size``, each one text."""
    k = -(-len(sentences) // size)
    return [" ".join(sentences[i * len(sentences) // k:(i + 1) * len(sentences) // k]) for i in range(k)]


def norwegian_heldout(data: Path, size: int) -> tuple[list, list]:
    """UD dev (and nn test) sentences and their NDT document groups: (text, gold) lists."""
    sets = {
        "nb": ([data / "UD_Norwegian-Bokmaal/no_bokmaal-ud-dev.conllu"], [data / "norne/ndt/nob/dev"]),
        "nn": (sorted((data / "UD_Norwegian-Nynorsk").glob("*.conllu")),
               [data / "norne/ndt/nno/dev", data / "norne/ndt/nno/test"]),
    }
    sentences, documents = [], []
    for gold, (files, ndt_dirs) in sets.items():
        index = {}
        for d in ndt_dirs:
            for path in sorted(d.glob("*.conll")):
                for forms in ndt_sentences(path):
                    index.setdefault(forms, path.stem.split("_")[0])
        for f in files:
            runs, last = [], None
            for _, text, forms in read_conllu(f):
                sentences.append((text, gold))
                doc = index.get(forms, last)  # tokenised differently: stays with its neighbour
                if not runs or doc != last:
                    runs.append([])
                runs[-1].append(text)
                last = doc
            documents += [(g, gold) for run in runs for g in groups(run, size)]
    return sentences, documents


def other_languages(data: Path, size: int, workdir: Path) -> tuple[dict, list, list]:
    """Training files per language (written to ``workdir``), held-out sentences and groups."""
    train, sentences, documents = {}, [], []
    for lang in OTHER:
        held, trained = [], []
        for path in sorted((data / "langid").glob(f"{lang}.*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                if lang == "fo":
                    (trained if ".train." in path.name else held).append(line)
                else:
                    (held if discriminator.is_heldout(line, 0.5) else trained).append(line)
        out = workdir / f"{lang}.train.txt"
        out.write_text("\n".join(trained) + "\n", encoding="utf-8")
        train[lang] = [(out, "text")]
        sentences += [(s, lang) for s in held]
        documents += [(g, lang) for g in groups(held, size)]
    return train, sentences, documents


# --- systems ----------------------------------------------------------------------------------


def systems(model: Path, lingua: bool) -> dict:
    """name -> (text -> (label, confidence)), each as the stage (or a reference) decides."""
    disc = discriminator.Discriminator(model)
    default = Settings()

    def judge(**settings):
        s = Settings(**settings)
        second = {"discriminator": disc, "lingua": identify_lingua}.get(s.second_opinion)
        j = Judge(s, second)
        return lambda text: (lambda v: (v.label, v.confidence))(j(text))

    def pycld2_direct(text):  # the stage before polyglot: one best-effort CLD2 call
        import pycld2

        _, _, details = pycld2.detect(_CLD2_REFUSES.sub(" ", text), isPlainText=True, bestEffort=True)
        code, percent = details[0][1], details[0][2]
        label = CLD2_LABELS.get(code, code)
        return (label, percent / 100) if label != "unknown" else (label, 0.0)

    out = {
        "CLD2 through pycld2 directly (reference: the stage before)": pycld2_direct,
        "polyglot alone": judge(),
        "polyglot + discriminator (config.yaml: confusable nb nn da sv)": judge(second_opinion="discriminator"),
        "polyglot + discriminator, confusable nb nn (the demo's)": judge(second_opinion="discriminator",
                                                                          confusable=("nb", "nn")),
        "discriminator alone (reference)": disc,
    }
    if lingua:
        out["polyglot + lingua, confusable nb nn da sv"] = judge(second_opinion="lingua")
        out["lingua alone (reference)"] = identify_lingua
    return {name: (fn, default) for name, fn in out.items()}


# --- measuring ----------------------------------------------------------------------------


def score(fn, settings: Settings, items) -> dict:
    """Exact labels of the Norwegian items, and the keep decision on both sides."""
    c = Counter()
    for text, gold in items:
        label, confidence = fn(text)
        kept = _decide(label, confidence, settings) is None
        if gold in NORWEGIAN:
            c["no"] += 1
            c["exact"] += label == gold
            c["kept"] += kept
        else:
            c["other"] += 1
            c["dropped"] += not kept
    return c


def pct(a, b) -> str:
    return f"{100 * a / b:.1f}" if b else "-"


def accuracy_row(name: str, unit: str, c: Counter) -> str:
    pooled = pct(c["kept"] + c["dropped"], c["no"] + c["other"])
    return (f"| {name} | {unit} | {pct(c['exact'], c['no'])} | {pct(c['kept'], c['no'])} "
            f"| {pct(c['dropped'], c['other'])} | {pooled} |")


def length_bucket(text: str) -> str:
    n = word_count(text)
    for lo, hi in LENGTHS:
        if n >= lo and (hi is None or n <= hi):
            return f"{lo}-{hi}" if hi else f"{lo}+"
    return "0"


def words_per_second(fn, texts: list[str]) -> float:
    words = sum(word_count(t) for t in texts)
    best = math.inf
    for _ in range(3):  # best of three: the least disturbed by other load
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        best = min(best, time.perf_counter() - t0)
    return words / best


def stage_words_per_second(documents: list[str], settings: Settings, model: Path | None, workdir: Path) -> float:
    """The whole langid step, as langid_shard runs it: a gzip JSONL shard in, the kept,
    dropped and stats files out."""
    shard = workdir / "shard.jsonl.gz"
    with gzip.open(shard, "wt", encoding="utf-8") as f:
        for i, text in enumerate(documents):
            f.write(Document(f"d{i}", "bench", text, None, {}).to_json() + "\n")
    words = sum(word_count(t) for t in documents)
    best = math.inf
    for _ in range(3):
        step = make_step(settings, None if model is None else str(model))
        t0 = time.perf_counter()
        filter_shard(shard, workdir / "out.jsonl.gz", workdir / "out.stats.json", workdir / "out.dropped.jsonl.gz",
                     stage="langid", source="bench", step=step)
        best = min(best, time.perf_counter() - t0)
    return words / best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", type=int, default=8, help="sentences per document group (default 8)")
    ap.add_argument("--lingua", action="store_true", help="also lingua (pip install '.[lingua]')")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a discriminator setting other than its default (langid.discriminator.KEY)")
    args = ap.parse_args(argv)
    changed = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    data = require_shared_data()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        no_sents, no_docs = norwegian_heldout(data, args.group)
        files, other_sents, other_docs = other_languages(data, args.group, tmp)
        for lang, code in (("nb", "nob"), ("nn", "nno")):
            files[lang] = [(p, "conllx") for p in sorted((data / f"norne/ndt/{code}/train").glob("*.conll"))]
        settings = discriminator.Settings(**{**changed, "heldout": 0.0})
        t0 = time.perf_counter()
        stats = discriminator.build(files, settings, NORWEGIAN, tmp / "model.bin")
        trained_in = time.perf_counter() - t0
        if args.lingua:
            identify_lingua("Oppvarming.")  # build lingua's detector before timing

        sentences, documents = no_sents + other_sents, no_docs + other_docs
        print(f"Discriminator settings: {settings}")
        print(f"Training sentences: {json.dumps({k: v['sentences'] for k, v in stats['train'].items()})}; "
              f"trained in {trained_in:.1f} s, model {(tmp / 'model.bin').stat().st_size / 1e6:.1f} MB")
        print(f"Held out: sentences {dict(Counter(g for _, g in sentences))}")
        print(f"          groups of <= {args.group} sentences {dict(Counter(g for _, g in documents))}")
        print()
        print("| system | unit | nb/nn correct % | Norwegian kept % | other dropped % | Norwegian-vs-other % |")
        print("|---|---|---:|---:|---:|---:|")
        runs = systems(tmp / "model.bin", args.lingua)
        by_length = {}
        for name, (fn, keep) in runs.items():
            for unit, items in (("sentence", sentences), ("document", documents)):
                print(accuracy_row(name, unit, score(fn, keep, items)))
            buckets = {}
            for t, g in sentences:
                buckets.setdefault(length_bucket(t), []).append((t, g))
            by_length[name] = {b: score(fn, keep, items) for b, items in buckets.items()}

        print()
        names = list(runs)
        print("Single sentences by length: nb/nn correct % / Norwegian-vs-other %")
        print()
        print("| words | sentences | " + " | ".join(names) + " |")
        print("|---|---:|" + "---:|" * len(names))
        for lo, hi in LENGTHS:
            b = f"{lo}-{hi}" if hi else f"{lo}+"
            n = by_length[names[0]][b]["no"] + by_length[names[0]][b]["other"]
            cells = [f"{pct(c['exact'], c['no'])} / {pct(c['kept'] + c['dropped'], c['no'] + c['other'])}"
                     for c in (by_length[name][b] for name in names)]
            print(f"| {b} | {n:,} | " + " | ".join(cells) + " |")

        print()
        print("Speed, one thread, words per second (best of three):")
        print()
        print("| system | sentences | document groups | the langid step on a shard of document groups |")
        print("|---|---:|---:|---:|")
        texts, docs = [t for t, _ in sentences], [t for t, _ in documents]
        stage_settings = {
            "polyglot alone": (Settings(), None),
            "polyglot + discriminator (config.yaml: confusable nb nn da sv)":
                (Settings(second_opinion="discriminator"), tmp / "model.bin"),
        }
        for name, (fn, _) in runs.items():
            stage = stage_settings.get(name)
            step = f"{stage_words_per_second(docs, *stage, tmp):,.0f}" if stage else "-"
            print(f"| {name} | {words_per_second(fn, texts):,.0f} | {words_per_second(fn, docs):,.0f} | {step} |")


if __name__ == "__main__":
    main()
