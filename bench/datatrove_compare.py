"""smie and datatrove 0.10.1 side by side: the same work on the same input, same machine.

    .venv/bin/python bench/datatrove_compare.py [--megabytes 200] [--workers 1 2]

The input is ``make_corpus.write_corpus`` (OSCAR 23.01 zstd JSON Lines from real
Norwegian sentences, one Bokmål and one Nynorsk part, 2% exact and 2% near
duplicates planted). Three steps, each run in fresh processes at every worker
count:

1. reading: smie's extract (one job per part, as the workflow's one job per
   source, each writing one shard) vs datatrove's JsonlReader -> JsonlWriter
   (2 tasks);
2. exact deduplication: smie's dedup with ``near: false`` (exact duplicates
   only, no MinHash) vs datatrove's ExactDedupSignature -> ExactFindDedups ->
   ExactDedupFilter (2 tasks);
3. near deduplication: smie's dedup with its defaults (exact and near
   duplicates in one pass) vs datatrove's MinHash (default config: signature,
   buckets (14 tasks), cluster, filter).

smie's dedup runs as the workflow does: signatures per shard, one global find,
filter per shard. Steps 2 and 3 read the two shards step 1 wrote (smie's gzip
JSON Lines) for both tools; both write kept and dropped documents. smie at N
workers runs its jobs N at a time, as Snakemake with ``--cores N``; datatrove
runs LocalPipelineExecutor with ``workers=N``. Memory: the largest single
process (ru_maxrss) and the peak of all processes together (PSS, sampled every
0.1 s). Load: the range of the 1-minute load average while each run ran
(sampled every 0.1 s; the run's own processes count).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dedup_jobs import REPO, job, run_jobs  # noqa: E402
from make_corpus import write_corpus  # noqa: E402

sys.path.insert(0, str(REPO))
from smie.documents import read_jsonl  # noqa: E402


def count_removed(folder: Path) -> int:
    return sum(1 for p in folder.glob("*.jsonl.gz") for _ in read_jsonl(p))


def smie_dedup(shards: list[Path], out: Path, workers: int, log: Path, settings: dict) -> dict:
    """smie's three dedup waves over ``shards``, as the workflow's rules run them."""
    out.mkdir(parents=True)
    sigs = [out / f"{s.name.split('.')[0]}.npz" for s in shards]
    dups = out / "duplicates.jsonl.gz"
    opt = f"--settings={json.dumps(settings)}"
    run = run_jobs([[job("smie-signatures", opt, s, g) for s, g in zip(shards, sigs)],
                    [job("smie-find", opt, dups, *sigs)],
                    [job("smie-filter", s, dups, out / "kept") for s in shards]], workers, log)
    run["removed"] = run["results"][len(shards)]  # the find job's counts
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=200.0, help="MB of text in the corpus (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workdir", type=Path, help="parent of the work folder (default: system temp)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        tmp = Path(tmp)
        info = write_corpus(tmp / "corpus", args.megabytes, seed=args.seed, parts=1)
        parts = sorted((tmp / "corpus").glob("*.jsonl.zst"))
        log = tmp / "jobs.log"
        rows = {}  # (step, tool, workers) -> run

        for w in args.workers:
            out = tmp / f"w{w}"
            rows["read", "smie", w] = run_jobs(
                [[job("smie-extract", f"oscar_{p.name[:2]}", out / "extract" / p.name[:2], p) for p in parts]], w, log)
            rows["read", "datatrove", w] = run_jobs(
                [[job("dt-read", "--input", tmp / "corpus", "--glob", "*.jsonl.zst", "--text-key", "content",
                      "--work", out / "dt-read", "--tasks", 2, "--workers", w)]], w, log)
            # the shards smie's extract wrote are the input of both dedups
            shards = tmp / f"shards{w}"
            shards.mkdir()
            for i, p in enumerate(parts):
                shutil.move(out / "extract" / p.name[:2] / "0000.jsonl.gz", shards / f"{i:04d}.jsonl.gz")
            shard_paths = sorted(shards.glob("*.jsonl.gz"))
            for step, settings, name in (("exact", {"near": False}, "dt-exact"), ("near", {}, "dt-minhash")):
                rows[step, "smie", w] = smie_dedup(shard_paths, out / f"smie-{step}", w, log, settings)
                run = run_jobs([[job(name, "--input", shards, "--glob", "*.jsonl.gz",
                                     "--work", out / name, "--tasks", 2, "--workers", w)]], w, log)
                run["removed"] = count_removed(out / name / "removed")
                rows[step, "datatrove", w] = run
            shutil.rmtree(out)  # keeps /tmp small at 200 MB
            shutil.rmtree(shards)

    extracted = rows["read", "smie", args.workers[0]]["results"]
    docs, words = sum(r["documents"] for r in extracted), sum(r["words"] for r in extracted)
    print(f"Corpus: {info['bytes'] / 1e6:.1f} MB of text, {info['documents']:,} documents, {info['words']:,} words "
          f"({info['compressed_bytes'] / 1e6:.1f} MB zstd, 2 parts); planted {info['planted']}. "
          f"Python {platform.python_version()}.\n")
    names = {"read": "reading (OSCAR 23.01 jsonl.zst -> gzip JSON Lines)",
             "exact": "exact deduplication (smie: `near: false`)",
             "near": "near deduplication (smie: its defaults, exact + near in one pass; datatrove: MinHash)"}
    for step, title in names.items():
        print(f"**{title}**\n")
        print("| tool | workers | wall s | documents/s | words/s | peak RSS MB (largest process) | "
              "peak MB (all processes) | load | smie/datatrove speed |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for w in args.workers:
            for tool in ("smie", "datatrove"):
                r = rows[step, tool, w]
                ratio = rows[step, "datatrove", w]["wall"] / rows[step, "smie", w]["wall"]
                print(f"| {tool} | {w} | {r['wall']:.1f} | {docs / r['wall']:,.0f} | {words / r['wall']:,.0f} | "
                      f"{r['rss_mb']:.0f} | {r['tree_mb']:.0f} | {r['load'][0]:.1f}-{r['load'][1]:.1f} | "
                      f"{f'{ratio:.2f}x' if tool == 'smie' else ''} |")
        print()

    print("**Where the time goes** (wall seconds per phase)\n")
    print("| tool | workers | phases |")
    print("|---|---:|---|")
    for w in args.workers:
        for step in ("exact", "near"):
            s = rows[step, "smie", w]["wave_walls"]
            print(f"| smie {step} | {w} | signatures {s[0]:.1f}, find {s[1]:.1f}, filter {s[2]:.1f} |")
            phases = rows[step, "datatrove", w]["results"][0]["phases"]
            print(f"| datatrove {step} | {w} | " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()) + " |")
    print()
    w = args.workers[0]
    exact, found = rows["exact", "smie", w]["removed"], rows["near", "smie", w]["removed"]
    print(f"Dropped: smie `near: false` {exact['exact-duplicate']:,} exact ({exact['near-duplicate']} near), "
          f"defaults {found['exact-duplicate']:,} exact + {found['near-duplicate']:,} near; datatrove exact "
          f"{rows['exact', 'datatrove', w]['removed']:,}, MinHash {rows['near', 'datatrove', w]['removed']:,}.")
    print("\nCommand: .venv/bin/python bench/datatrove_compare.py " + " ".join(sys.argv[1:]))
    print(json.dumps({f"{k[0]}/{k[1]}/{k[2]}": {x: v[x] for x in ("wall", "wave_walls", "rss_mb", "tree_mb", "load")}
                      for k, v in rows.items()}), file=sys.stderr)


if __name__ == "__main__":
    main()
