"""Words per second and peak memory of the corpus stages, run by the real workflow.

Generates an OSCAR 23.01 corpus from real Norwegian sentences (``make_corpus``) at
two sizes 10x apart, writes a config with one source per language (``oscar_nb``,
``oscar_nn``, ``file://`` URLs to the parts), and runs Snakemake on each stage in
turn (extract, clean, langid, then dedup's three rules one at a time) at 1 and at 2
parallel jobs, in a fresh work directory per (size, jobs). Wall time is timed
around each Snakemake invocation, which includes Snakemake's start-up; the same
invocation is repeated with nothing left to do and that time is subtracted for
words/s. Jobs' seconds and peak RSS come from the rules' ``benchmark:`` files,
words from the stages' stats files. Snakemake samples a job's memory every 0.5 s,
then (after 15 s) every 30 s, and can miss a short peak; so every job's script also
reports its kernel high-water mark (``VmHWM``) through a ``sitecustomize``
module put on its ``PYTHONPATH``. Prints Markdown tables.

    .venv/bin/python bench/corpus_stages.py --megabytes 20 200
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SNAKEMAKE = REPO / ".venv" / "bin" / "snakemake"
SOURCES = {"oscar_nb": "no", "oscar_nn": "nn"}  # source -> OSCAR label of its part files

# (step, Snakemake targets, its jobs' benchmark files, (stage, "in" or "kept") of the
# stats that count its input). dedup's rules run one at a time, each with its own wall time.
STEPS = [
    ("extract", lambda shards: ["extract"], "extract/*.tsv", ("extract", "in")),
    ("clean", lambda shards: ["clean"], "clean/*/*.tsv", ("clean", "in")),
    ("langid", lambda shards: ["langid"], "langid/*/*.tsv", ("langid", "in")),
    ("dedup_signatures", lambda shards: [f"results/dedup/signatures/{s}/{k:04d}.npz"
                                         for s in SOURCES for k in range(shards)],
     "dedup/signatures/*/*.tsv", ("langid", "kept")),
    ("dedup_find", lambda shards: ["results/dedup/duplicates.jsonl.gz"], "dedup/find.tsv", ("langid", "kept")),
    ("dedup_shard", lambda shards: ["dedup"], "dedup/filter/*/*.tsv", ("dedup", "in")),
]

# Imported by every Python process started with it on PYTHONPATH: Snakemake's job
# scripts (run from .snakemake/scripts/) leave their peak RSS in $SMIE_BENCH_RSS_DIR.
# VmHWM, not ru_maxrss: that one keeps the forking Snakemake process's size across exec.
SITECUSTOMIZE = """
import atexit, json, os, sys

def _peak_rss():
    folder = os.environ.get("SMIE_BENCH_RSS_DIR")
    if folder and "/.snakemake/scripts/" in (sys.argv[0] if sys.argv else ""):
        with open("/proc/self/status") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
        with open(os.path.join(folder, f"{os.getpid()}.json"), "w") as f:
            json.dump({"script": sys.argv[0], "mb": kb / 1024}, f)

atexit.register(_peak_rss)
"""


def write_config(path: Path, corpus: dict, shards: int) -> None:
    """The demo config's structure; clean, langid and dedup at their defaults."""
    sources = {}
    for source, label in SOURCES.items():
        files = [{"url": Path(f["path"]).as_uri()} for f in corpus["files"] if f["label"] == label]
        sources[source] = {"kind": "oscar", "shards": shards, "files": files}
    config = {"languages": ["nb", "nn"], "download": {"mirror": None, "retries": 1, "timeout": 10},
              "audit": True, "dedup": {"source_priority": list(SOURCES)}, "sources": sources}
    path.write_text(yaml.safe_dump(config, sort_keys=False))


def load1() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def snakemake(targets: list[str], config: Path, workdir: Path, jobs: int, log: Path,
              rss_dir: Path | None = None) -> float:
    """Seconds one Snakemake invocation takes, start-up included; jobs' peak RSS into ``rss_dir``."""
    cmd = [str(SNAKEMAKE), *targets, "--snakefile", str(REPO / "Snakefile"), "--configfile", str(config),
           "--directory", str(workdir), "--cores", str(jobs)]
    env = dict(os.environ)
    if rss_dir is not None:
        rss_dir.mkdir(parents=True)
        env["SMIE_BENCH_RSS_DIR"] = str(rss_dir)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(workdir.parent / "site"), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    with log.open("a") as out:
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=REPO, env=env)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"snakemake failed ({' '.join(cmd)}); see {log}:\n" + log.read_text()[-3000:])
    return seconds


def job_benchmarks(workdir: Path, pattern: str) -> list[dict]:
    """Seconds and max_rss (MB) of every job whose benchmark file matches."""
    out = []
    for path in sorted(glob.glob(str(workdir / "benchmarks" / pattern))):
        with open(path) as f:
            row = next(csv.DictReader(f, delimiter="\t"))
        out.append({"s": float(row["s"]), "rss": float(row["max_rss"])})
    return out


def stage_count(workdir: Path, stage: str, key: str) -> tuple[int, int]:
    """(documents, words) ``key`` ("in" or "kept") of a stage, summed over its stats files."""
    pattern = "results/extract/*/stats.json" if stage == "extract" else f"results/{stage}/*/*.stats.json"
    docs = words = 0
    for path in glob.glob(str(workdir / pattern)):
        stats = json.loads(Path(path).read_text())
        docs += stats["documents"][key]
        words += stats["words"][key]
    return docs, words


def peak_rss(folder: Path) -> list[float]:
    return [json.loads(p.read_text())["mb"] for p in sorted(folder.glob("*.json"))]


def run_all(config: Path, workdir: Path, jobs: int, shards: int) -> dict:
    """Every step at ``jobs`` parallel jobs in a fresh ``workdir``."""
    log = workdir / "snakemake.log"
    workdir.mkdir(parents=True)
    downloads = [f"resources/download/{s}/{Path(f['url']).name}"
                 for s, spec in yaml.safe_load(config.read_text())["sources"].items() for f in spec["files"]]
    snakemake(downloads, config, workdir, jobs, log)  # untimed: a copy of the input files
    results = {}
    for step, targets, bench, counted in STEPS:
        loads = [load1()]
        rss_dir = workdir / "peak_rss" / step
        wall = snakemake(targets(shards), config, workdir, jobs, log, rss_dir)
        loads.append(load1())
        empty = snakemake(targets(shards), config, workdir, jobs, log)  # start-up and DAG only
        docs, words = stage_count(workdir, *counted)
        results[step] = {"wall": wall, "empty": empty, "jobs": job_benchmarks(workdir, bench),
                         "peak": peak_rss(rss_dir), "documents": docs, "words": words, "load": loads}
        print(f"  {step}: {wall:.1f} s (empty run {empty:.1f} s), {words:,} words, "
              f"load {loads[0]:.2f} -> {loads[1]:.2f}", file=sys.stderr, flush=True)
    return results


def fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def report(sizes: list[float], corpora: dict, runs: dict, jobs: list[int], shards: int, argv: str) -> None:
    j1, j2 = jobs[0], jobs[-1]
    print(f"```sh\n{argv}\n```\n")
    print(f"Corpus: OSCAR 23.01 JSON Lines (zstd), sources `oscar_nb` and `oscar_nn`, {shards} shards each.\n")
    print("| input MB | documents | words | compressed MB | exact dup. | near dup. | too short | nb / nn documents |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for mb in sizes:
        c = corpora[mb]
        p = c["planted"]
        print(f"| {c['bytes'] / 1e6:.0f} | {fmt(c['documents'])} | {fmt(c['words'])} | {c['compressed_bytes'] / 1e6:.0f} | "
              f"{fmt(p.get('exact-duplicate', 0))} | {fmt(p.get('near-duplicate', 0))} | {fmt(p.get('too-short', 0))} | "
              f"{fmt(c['languages'].get('no', 0))} / {fmt(c['languages'].get('nn', 0))} |")

    print("\nThroughput (wall: the Snakemake invocation; words/s: input words over wall minus an "
          "invocation with nothing to do):\n")
    print(f"| input MB | step | jobs run | input words | wall s, {j1} job | wall s, {j2} jobs | "
          f"words/s, {j1} job | words/s, {j2} jobs | speed-up | job-seconds, {j1} job | job-seconds, {j2} jobs |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mb in sizes:
        a, b = runs[mb, j1], runs[mb, j2]
        for step, *_ in STEPS:
            ra, rb = a[step], b[step]
            na, nb_ = (max(r["wall"] - r["empty"], 0.1) for r in (ra, rb))
            print(f"| {mb:g} | {step} | {len(ra['jobs'])} | {fmt(ra['words'])} | {ra['wall']:.1f} | {rb['wall']:.1f} | "
                  f"{fmt(ra['words'] / na)} | {fmt(rb['words'] / nb_)} | {na / nb_:.2f} | "
                  f"{sum(j['s'] for j in ra['jobs']):.1f} | {sum(j['s'] for j in rb['jobs']):.1f} |")
    empties = [r[s]["empty"] for r in runs.values() for s in r]
    print(f"\nAn invocation with nothing to do took {min(empties):.1f}-{max(empties):.1f} s.")

    small, big = sizes[0], sizes[-1]
    print(f"\nPeak memory of one job, MB (the largest of the step's jobs, {j1}-job runs): the kernel's "
          f"high-water mark, and Snakemake's sampled max_rss:\n")
    print(f"| step | peak RSS, {small:g} MB input | peak RSS, {big:g} MB input | ratio | "
          f"max_rss, {small:g} MB | max_rss, {big:g} MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for step, *_ in STEPS:
        lo, hi = (max(runs[mb, j1][step]["peak"], default=0) for mb in (small, big))
        slo, shi = (max((j["rss"] for j in runs[mb, j1][step]["jobs"]), default=0) for mb in (small, big))
        print(f"| {step} | {lo:.0f} | {hi:.0f} | {hi / lo if lo else 0:.2f} | {slo:.0f} | {shi:.0f} |")
    find = [(runs[mb, j1]["dedup_find"]["documents"], max(runs[mb, j1]["dedup_find"]["peak"], default=0))
            for mb in (small, big)]
    if find[1][0] > find[0][0]:
        slope = (find[1][1] - find[0][1]) / (find[1][0] - find[0][0]) * 1e5
        print(f"\ndedup_find: {find[0][1]:.0f} MB for {fmt(find[0][0])} documents, {find[1][1]:.0f} MB for "
              f"{fmt(find[1][0])}: {slope:.0f} MB more per 100k documents.")
    print("\n1-minute load average at the steps' starts and ends (2 cores; the run's own jobs count):")
    for (mb, jobs), r in runs.items():
        loads = [x for step in r.values() for x in step["load"]]
        print(f"- {mb:g} MB at {jobs} job(s): {min(loads):.2f}-{max(loads):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, nargs="+", default=[20, 200],
                        help="corpus sizes, MB of text (default 20 200)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="parallel jobs (default 1 2)")
    parser.add_argument("--shards", type=int, default=8, help="shards per source (default 8)")
    parser.add_argument("--parts", type=int, default=2, help="part files per language (default 2)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, help="keep everything here (default: a temporary directory)")
    args = parser.parse_args()

    base = args.workdir or Path(tempfile.mkdtemp(prefix="smie-corpus-stages-"))
    base.mkdir(parents=True, exist_ok=True)
    (base / "site").mkdir(exist_ok=True)
    (base / "site" / "sitecustomize.py").write_text(SITECUSTOMIZE)
    corpora, runs = {}, {}
    try:
        for mb in args.megabytes:
            print(f"corpus {mb:g} MB ...", file=sys.stderr, flush=True)
            corpora[mb] = write_corpus(base / f"corpus-{mb:g}", mb, seed=args.seed, parts=args.parts)
            config = base / f"config-{mb:g}.yaml"
            write_config(config, corpora[mb], args.shards)
            for jobs in args.jobs:
                print(f"{mb:g} MB, {jobs} job(s):", file=sys.stderr, flush=True)
                workdir = base / f"run-{mb:g}-j{jobs}"
                runs[mb, jobs] = run_all(config, workdir, jobs, args.shards)
                if not args.workdir:
                    shutil.rmtree(workdir)  # about 0.7 GB at 200 MB
    finally:
        if not args.workdir:
            shutil.rmtree(base, ignore_errors=True)
    argv = " ".join([".venv/bin/python", os.path.relpath(__file__, REPO), *sys.argv[1:]])
    report(args.megabytes, corpora, runs, args.jobs, args.shards, argv)


if __name__ == "__main__":
    main()
