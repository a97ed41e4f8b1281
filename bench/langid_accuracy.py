"""Accuracy and speed of smie's language identification on real sentences.

Norwegian data: the ``# text =`` sentences of UD Norwegian-Bokmaal dev and
UD Norwegian-Nynorsk dev + test, from the shared data directory (env var
SMIE_SHARED_DATA, default ``../shared/data`` relative to the repository root).
Foreign data: the demo corpora's planted Danish, Swedish and English documents
(written for this project, not real text), read through smie's readers and split
into sentences. No real Danish or Swedish sentences are available here.

Document level: UD marks no documents, so each sentence is matched (by its token
forms) to the NorNE/NDT file it comes from (``norne/ndt/{nob,nno}/{dev,test}``;
``ap012_0003.conll`` is part of document ``ap012``); each run of consecutive
sentences of one document is cut into near-equal groups of at most ``--group``
sentences, and each group is joined into one text. A sentence that matches no
NDT file (tokenised differently) stays with the sentence before it. Foreign
"documents" are the planted documents themselves.

Backends: ``cld2`` (smie's default), ``cld2+lingua`` (smie's ``second_opinion:
lingua``), ``lingua`` alone, and with ``--ngram`` a character n-gram Naive Bayes
for nb-vs-nn trained in memory on the NDT training sentences (a baseline only:
it is not part of smie).

    .venv/bin/python bench/langid_accuracy.py [--group 8] [--ngram]
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smie.documents import Document  # noqa: E402
from smie.extract import read_local_sources  # noqa: E402
from smie.langid import Settings, identify_cld2, identify_lingua  # noqa: E402

from real_text import ndt_sentences, read_conllu, require_shared_data  # noqa: E402

FOREIGN = {"danish": "da", "swedish": "sv", "english": "en"}


def ndt_sentence_files(folder: Path) -> dict[tuple[str, ...], str]:
    """Token forms of every sentence of the NDT files under ``folder`` -> file name."""
    index = {}
    for path in sorted(folder.glob("*.conll")):
        for forms in ndt_sentences(path):
            index.setdefault(forms, path.stem)
    return index


def ndt_train_sentences(folder: Path) -> list[str]:
    return [" ".join(forms) for path in sorted(folder.glob("*.conll")) for forms in ndt_sentences(path)]


def norwegian(data: Path, group: int):
    """Sentences and document groups: lists of (text, gold label)."""
    sets = {
        "nb": ([data / "UD_Norwegian-Bokmaal/no_bokmaal-ud-dev.conllu"], [data / "norne/ndt/nob/dev"]),
        "nn": (sorted((data / "UD_Norwegian-Nynorsk").glob("*.conllu")),
               [data / "norne/ndt/nno/dev", data / "norne/ndt/nno/test"]),
    }
    sentences, documents, unmatched = [], [], Counter()
    for gold, (files, ndt_dirs) in sets.items():
        index = {}
        for d in ndt_dirs:
            index.update(ndt_sentence_files(d))
        for f in files:
            runs, last = [], None  # runs of consecutive sentences of one NDT document
            for _, text, forms in read_conllu(f):
                sentences.append((text, gold))
                doc = index.get(forms)
                if doc is None:
                    unmatched[gold] += 1
                    doc = last  # tokenised differently: stays with its neighbour
                else:
                    doc = doc.split("_")[0]  # ap012_0003 -> document ap012
                if not runs or doc != last:
                    runs.append([])
                runs[-1].append(text)
                last = doc
            for run in runs:  # near-equal groups of at most `group` sentences
                k = -(-len(run) // group)
                for i in range(k):
                    documents.append((" ".join(run[i * len(run) // k:(i + 1) * len(run) // k]), gold))
    return sentences, documents, unmatched


def planted_foreign():
    """Sentences and documents of the demo corpora's planted foreign documents."""
    import json

    planted = json.loads((REPO / "demo/corpora/planted.json").read_text())
    wanted = {doc_id: FOREIGN[kind] for kind in FOREIGN for doc_id in planted[kind]}
    found = {}
    for doc in demo_documents():
        if doc.id in wanted:
            found[doc.id] = doc
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise SystemExit(f"planted documents not found by the readers: {missing}")
    sentences, documents = [], []
    for doc_id, gold in sorted(wanted.items()):
        text = found[doc_id].text
        documents.append((text, gold))
        for para in text.split("\n"):
            for s in re.split(r"(?<=[.!?])\s+", para.strip()):
                if s:
                    sentences.append((s, gold))
    return sentences, documents


def demo_documents():
    """Every Document of the demo corpora, read as the demo config declares them."""
    config = yaml.safe_load((REPO / "demo/config.yaml").read_text())
    return (r for r in read_local_sources(config, REPO / "demo") if isinstance(r, Document))


# --- the n-gram baseline ---------------------------------------------------------------


class NgramNB:
    """Multinomial Naive Bayes over character 1-5-grams and words (nb vs nn)."""

    def __init__(self, train: dict[str, list[str]], alpha: float = 0.1):
        self.counts = {lab: Counter() for lab in train}
        for lab, sents in train.items():
            for s in sents:
                self.counts[lab].update(self.features(s))
        vocab = set().union(*self.counts.values())
        self.denom = {lab: sum(c.values()) + alpha * len(vocab) for lab, c in self.counts.items()}
        self.alpha = alpha

    @staticmethod
    def features(s: str) -> list[str]:
        s = f" {s.lower()} "
        feats = [s[i:i + n] for n in range(1, 6) for i in range(len(s) - n + 1)]
        feats += ["W:" + w for w in s.split()]
        return feats

    def __call__(self, s: str) -> str:
        feats = self.features(s)
        scores = {
            lab: sum(math.log((c[f] + self.alpha) / self.denom[lab]) for f in feats)
            for lab, c in self.counts.items()
        }
        return max(scores, key=scores.get)


# --- measuring --------------------------------------------------------------------------


def backends(ngram: NgramNB | None):
    settings = Settings()

    def cld2(text):
        label, conf, _ = identify_cld2(text)
        return label, conf

    def cld2_lingua(text):
        label, conf, _ = identify_cld2(text)
        if label in ("nb", "nn", "da", "sv"):
            second, _ = identify_lingua(text)
            if second != "unknown":
                label = second
        return label, conf

    def lingua(text):
        return identify_lingua(text)[0], 1.0

    out = {"cld2": cld2, "cld2+lingua": cld2_lingua, "lingua": lingua}
    if ngram is not None:
        out["ngram-nb (nb/nn only)"] = lambda text: (ngram(text), 1.0)
    return out, settings


def evaluate(fn, items, settings, norwegian_only=False):
    """Per gold label: exact-label accuracy and keep-decision accuracy."""
    exact, kept, n = Counter(), Counter(), Counter()
    for text, gold in items:
        label, conf = fn(text)
        n[gold] += 1
        exact[gold] += label == gold
        keep = label in settings.keep and conf >= settings.threshold
        kept[gold] += keep == (gold in settings.keep)
    return n, exact, kept


def speed(fn, texts) -> tuple[float, float]:
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    dt = math.inf
    for _ in range(3):  # best of three: the least disturbed by other load
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        dt = min(dt, time.perf_counter() - t0)
    return len(texts) / dt, nbytes / dt / 1e6


def pct(a, b):
    return f"{100 * a / b:.1f}" if b else "-"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--group", type=int, default=8, help="sentences per document group (default 8)")
    ap.add_argument("--ngram", action="store_true", help="also the nb/nn n-gram baseline trained on NDT train")
    args = ap.parse_args(argv)

    data = require_shared_data()
    no_sents, no_docs, unmatched = norwegian(data, args.group)
    fo_sents, fo_docs = planted_foreign()
    ngram = None
    if args.ngram:
        ngram = NgramNB({
            "nb": ndt_train_sentences(data / "norne/ndt/nob/train"),
            "nn": ndt_train_sentences(data / "norne/ndt/nno/train"),
        })
    fns, settings = backends(ngram)
    identify_lingua("Oppvarming.")  # build lingua's detector before timing

    print(f"Norwegian sentences: {Counter(g for _, g in no_sents)}; document groups of <= {args.group}: "
          f"{Counter(g for _, g in no_docs)}; sentences not matched to an NDT file: {dict(unmatched)}")
    print(f"Foreign (planted demo) sentences: {Counter(g for _, g in fo_sents)}; documents: "
          f"{Counter(g for _, g in fo_docs)}")
    print(f"Keep rule for 'Norwegian vs other': label in {settings.keep} and confidence >= {settings.threshold}")
    print()
    print("| backend | unit | nb correct % | nn correct % | nb+nn correct % | Norwegian kept % "
          "| other dropped % | Norwegian-vs-other % |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, fn in fns.items():
        for unit, no_items, fo_items in (("sentence", no_sents, fo_sents), ("document", no_docs, fo_docs)):
            n, exact, kept = evaluate(fn, no_items, settings)
            nb_n, nn_n = n["nb"], n["nn"]
            row = [pct(exact["nb"], nb_n), pct(exact["nn"], nn_n), pct(exact["nb"] + exact["nn"], nb_n + nn_n)]
            if name.startswith("ngram"):
                row += ["-", "-", "-"]
            else:
                fn_, fe, fk = evaluate(fn, fo_items, settings)
                no_ok, fo_ok = kept["nb"] + kept["nn"], sum(fk.values())
                fo_n = sum(fn_.values())
                row += [pct(no_ok, nb_n + nn_n), pct(fo_ok, fo_n), pct(no_ok + fo_ok, nb_n + nn_n + fo_n)]
            print(f"| {name} | {unit} | " + " | ".join(row) + " |")
    print()
    print("| backend | sentences/s | MB/s (sentences) | documents/s | MB/s (documents) |")
    print("|---|---:|---:|---:|---:|")
    texts = [t for t, _ in no_sents]
    docs = [t for t, _ in no_docs]
    for name, fn in fns.items():
        s_rate, s_mb = speed(fn, texts)
        d_rate, d_mb = speed(fn, docs)
        print(f"| {name} | {s_rate:,.0f} | {s_mb:.2f} | {d_rate:,.0f} | {d_mb:.2f} |")

    # sentence accuracy by length, default backend
    print()
    print("| words per sentence | sentences | cld2 nb+nn correct % | cld2+lingua nb+nn correct % |")
    print("|---|---:|---:|---:|")
    buckets = defaultdict(list)
    for text, gold in no_sents:
        w = len(text.split())
        b = "1-4" if w < 5 else "5-9" if w < 10 else "10-19" if w < 20 else "20+"
        buckets[b].append((text, gold))
    for b in ("1-4", "5-9", "10-19", "20+"):
        items = buckets[b]
        a = sum(fns["cld2"](t)[0] == g for t, g in items)
        c = sum(fns["cld2+lingua"](t)[0] == g for t, g in items)
        print(f"| {b} | {len(items):,} | {pct(a, len(items))} | {pct(c, len(items))} |")


if __name__ == "__main__":
    main()
