"""Near-duplicate recall and precision of smie's dedup and of datatrove's default MinHash.

    .venv/bin/python bench/dedup_quality.py [--docs 20000] [--near 0.10] [--exact 0.05] [--related 0.05]
        [--seed 0] [--smie-settings JSON...]

Builds ``--docs`` documents of 5-30 real Norwegian sentences (one language per
document, paragraphs of 1-5 sentences; ``real_text.norwegian_sentences()``,
needs the shared data directory). For a share ``--near`` of them it adds a twin
with exactly one sentence replaced by another real sentence (a planted near
pair), for a share ``--exact`` an identical copy (an exact pair), and for a share
``--related`` a related document that keeps only half its sentences (rounded
down; the others replaced), a pair that must *not* be merged. The shares are
disjoint. All documents are shuffled and numbered, written as two smie shards,
and deduplicated by

- smie, as the workflow does: ``compute_signatures`` per shard,
  ``find_duplicates`` (default Settings, or each of ``--smie-settings`` too),
  ``filter_shard`` per shard; the drop list is read from ``find_duplicates``'
  output;
- datatrove 0.10.1, default ``MinhashConfig`` (5-grams, 14 buckets x 8 hashes):
  signature -> buckets -> cluster -> filter through LocalPipelineExecutor (2
  tasks, 1 worker), reading the same shards with its JsonlReader; the drop list
  is what its filter's exclusion writer wrote.

Scores (a pair is *found* when at least one of its two documents is dropped):
recall = found pairs / planted pairs, per kind and per length bucket (sentences
of the original document); precision = true drops / all drops, where every found
near or exact pair gives one true drop and every other drop is false: a document
of a related pair, a document of no pair, or the second document of a pair of
which both were dropped. Everything is seeded: the same arguments give the same
figures. Times are wall seconds on 1 worker, process starts included (the speed
comparison is ``datatrove_compare.py``).
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_text  # noqa: E402
from dedup_jobs import REPO, job, run_jobs  # noqa: E402

sys.path.insert(0, str(REPO))
from smie import dedup  # noqa: E402
from smie.documents import Document, ShardedWriter, read_jsonl  # noqa: E402

BUCKETS = ((5, 9), (10, 19), (20, 30))


def build(n_docs: int, near: float, exact: float, related: float, seed: int):
    """Documents ``{id: (text, n sentences)}`` and the planted pairs ``(kind, original id, twin id)``."""
    rng = random.Random(seed)
    pools: dict[str, list[str]] = {}
    for text, lang in real_text.norwegian_sentences():
        pools.setdefault(lang, []).append(text)
    langs, weights = list(pools), [len(p) for p in pools.values()]

    def sizes(n):
        """Paragraph sizes (1-5 sentences) adding up to n, drawn once so a twin keeps them."""
        out = []
        while n > 0:
            out.append(min(n, rng.randint(1, 5)))
            n -= out[-1]
        return out

    def layout(sentences, cuts):
        paragraphs, start = [], 0
        for k in cuts:
            paragraphs.append(" ".join(sentences[start : start + k]))
            start += k
        return "\n".join(paragraphs)

    def replaced(sentences, count, pool):
        """The sentences with ``count`` of them, at random places, replaced by new ones."""
        out = list(sentences)
        for k in rng.sample(range(len(out)), count):
            while (new := rng.choice(pool)) in out:
                pass
            out[k] = new
        return out

    docs = []  # (text, n sentences)
    pairs = []  # (kind, index of original, index of the planted document)
    shares = {"near": near, "exact": exact, "related": related}
    chosen = iter(rng.sample(range(n_docs), sum(round(n_docs * x) for x in shares.values())))
    kind_of = {next(chosen): kind for kind, x in shares.items() for _ in range(round(n_docs * x))}
    for i in range(n_docs):
        lang = rng.choices(langs, weights)[0]
        sentences = rng.sample(pools[lang], rng.randint(5, 30))
        cuts = sizes(len(sentences))
        docs.append((layout(sentences, cuts), len(sentences)))
        kind = kind_of.get(i)
        if kind == "near":
            docs.append((layout(replaced(sentences, 1, pools[lang]), cuts), len(sentences)))
        elif kind == "exact":
            docs.append(docs[-1])
        elif kind == "related":  # keeps half its sentences: must stay
            docs.append((layout(replaced(sentences, len(sentences) - len(sentences) // 2, pools[lang]), cuts),
                         len(sentences)))
        if kind:
            pairs.append((kind, len(docs) - 2, len(docs) - 1))
    # shuffle, so that ids (which decide which copy smie keeps) say nothing of the pairs
    order = list(range(len(docs)))
    rng.shuffle(order)
    new_id = {old: f"bench/{pos:06d}" for pos, old in enumerate(order)}
    documents = {new_id[i]: docs[i] for i in range(len(docs))}
    pairs = [(kind, new_id[a], new_id[b]) for kind, a, b in pairs]
    return documents, pairs


def shingle_jaccard(a: str, b: str, n: int = 3) -> float:
    """True Jaccard similarity of the word n-gram sets, after smie's normalisation."""
    def grams(t):
        w = dedup.normalise(t).split(" ")
        return {tuple(w[i : i + n]) for i in range(max(1, len(w) - n + 1))}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y)


@functools.cache
def _datatrove_signer():
    from datatrove.pipeline.dedup.minhash import MinhashDedupSignature

    return MinhashDedupSignature(tempfile.gettempdir())


def datatrove_jaccard(a: str, b: str) -> float:
    """True Jaccard similarity of datatrove's shingle sets (default config: simplified text, word 5-grams)."""
    x, y = (set(_datatrove_signer().get_shingles(t).ravel().tolist()) for t in (a, b))
    return len(x & y) / len(x | y)


def score(dropped: set[str], documents, pairs) -> dict:
    found = {(kind, a, b): a in dropped or b in dropped for kind, a, b in pairs}
    true_drops = sum(f for (kind, _, _), f in found.items() if kind != "related")
    out = {"dropped": len(dropped), "false": len(dropped) - true_drops,
           "precision": true_drops / len(dropped) if dropped else 1.0,
           "missed": [(a, b) for (k, a, b), f in found.items() if k == "near" and not f],
           "merged": [(a, b) for (k, a, b), f in found.items() if k == "related" and f]}
    for kind in ("near", "exact", "related"):
        hits = [f for (k, _, _), f in found.items() if k == kind]
        out[kind] = (sum(hits), len(hits))
    for lo, hi in BUCKETS:
        out[lo, hi] = tuple(map(sum, zip(*[(f, 1) for (k, a, _), f in found.items()
                                            if k == "near" and lo <= documents[a][1] <= hi]))) or (0, 0)
    return out


def ratio(cell: tuple[int, int]) -> str:
    return f"{cell[0] / cell[1]:.4f} ({cell[0]:,}/{cell[1]:,})" if cell[1] else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--near", type=float, default=0.10, help="share of documents given a near twin")
    parser.add_argument("--exact", type=float, default=0.05, help="share of documents given an exact twin")
    parser.add_argument("--related", type=float, default=0.05,
                        help="share of documents given a related document (half the sentences replaced)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--smie-settings", nargs="*", default=[], metavar="JSON",
                        help="also run smie with these dedup settings, e.g. '{\"threshold\": 0.4}'")
    parser.add_argument("--no-datatrove", action="store_true", help="smie only (datatrove takes minutes)")
    parser.add_argument("--workdir", type=Path, help="parent of the work folder (default: system temp)")
    args = parser.parse_args()

    documents, pairs = build(args.docs, args.near, args.exact, args.related, args.seed)
    runs = {}  # name -> (run, drop set)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        tmp = Path(tmp)
        log = tmp / "jobs.log"
        shards = [tmp / "shards" / f"{i:04d}.jsonl.gz" for i in range(2)]
        with ShardedWriter(shards) as w:
            for doc_id, (text, _) in documents.items():
                w.write(Document(doc_id, "bench", text, lang="nb"))
        for k, settings in enumerate([None, *args.smie_settings]):
            extra = [f"--settings={settings}"] if settings else []
            sigs = [tmp / f"sig{k}-{i}.npz" for i in range(2)]
            duplicates = tmp / f"duplicates{k}.jsonl.gz"
            run = run_jobs([[job("smie-signatures", *extra, s, g) for s, g in zip(shards, sigs)],
                            [job("smie-find", *extra, duplicates, *sigs)],
                            [job("smie-filter", s, duplicates, tmp / f"smie-out{k}") for s in shards]], 1, log)
            name = f"smie {settings}" if settings else "smie (default Settings)"
            runs[name] = run, {r["id"] for r in read_jsonl(duplicates)}
        if not args.no_datatrove:
            run = run_jobs([[job("dt-minhash", "--input", tmp / "shards", "--glob", "*.jsonl.gz",
                                 "--work", tmp / "dt", "--tasks", 2, "--workers", 1)]], 1, log)
            runs["datatrove (default MinhashConfig)"] = run, {
                r["id"] for p in sorted((tmp / "dt" / "removed").glob("*.jsonl.gz")) for r in read_jsonl(p)}

    scores = {name: score(drop, documents, pairs) for name, (_, drop) in runs.items()}
    count = {kind: sum(k == kind for k, _, _ in pairs) for kind in ("near", "exact", "related")}
    print(f"{len(documents):,} documents: {args.docs:,} originals + {count['near']:,} near twins + "
          f"{count['exact']:,} exact twins + {count['related']:,} related documents; seed {args.seed}\n")
    print("| dedup | near recall | exact recall | precision | dropped | false drops | related pairs merged | "
          "wall s (1 worker) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, s in scores.items():
        print(f"| {name} | {ratio(s['near'])} | {ratio(s['exact'])} | {s['precision']:.4f} | {s['dropped']:,} | "
              f"{s['false']} | {s['related'][0]} | {runs[name][0]['wall']:.1f} |")
    print("\nNear recall by length of the original document:\n")
    print("| dedup | " + " | ".join(f"{lo}-{hi} sentences" for lo, hi in BUCKETS) + " |")
    print("|---|" + "---:|" * len(BUCKETS))
    for name, s in scores.items():
        print(f"| {name} | " + " | ".join(ratio(s[b]) for b in BUCKETS) + " |")

    # Why pairs are missed: their true similarity under each tool's own shingles
    # (smie: word 3-grams, threshold 0.5; datatrove: word 5-grams, LSH alone, no threshold).
    def describe(pairs_):
        j3 = [shingle_jaccard(documents[a][0], documents[b][0]) for a, b in pairs_]
        j5 = [datatrove_jaccard(documents[a][0], documents[b][0]) for a, b in pairs_]
        lens = [documents[a][1] for a, _ in pairs_]
        return (f"{len(pairs_)} pairs, median {statistics.median(lens):g} sentences; true Jaccard of "
                f"smie's 3-grams min/median/max {min(j3):.3f}/{statistics.median(j3):.3f}/{max(j3):.3f} "
                f"({sum(x < 0.5 for x in j3)} below 0.5), of datatrove's 5-grams "
                f"{min(j5):.3f}/{statistics.median(j5):.3f}/{max(j5):.3f}")

    print("\nNear pairs:\n")
    print("- all planted: " + describe([(a, b) for k, a, b in pairs if k == "near"]))
    for name, s in scores.items():
        print(f"- missed by {name}: " + (describe(s["missed"]) if s["missed"] else "none"))
    related = [(a, b) for k, a, b in pairs if k == "related"]
    if related:
        print("\nRelated pairs (must stay):\n")
        print("- all planted: " + describe(related))
        for name, s in scores.items():
            print(f"- merged by {name}: " + (describe(s["merged"]) if s["merged"] else "none"))
    print("\nWall seconds per phase (1 worker):\n")
    for name, (run, _) in runs.items():
        if name.startswith("smie"):
            phases = dict(zip(("signatures", "find", "filter"), run["wave_walls"]))
        else:
            phases = run["results"][0]["phases"]
        print(f"- {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()))


if __name__ == "__main__":
    main()
