"""The jobs the dedup benchmarks time, each in a fresh process, and the runner that times them.

    .venv/bin/python bench/dedup_jobs.py JOB ARGS...

smie jobs call the functions the workflow's rule scripts call, one shard per job,
as Snakemake runs them:

    smie-extract SOURCE OUT_DIR FILE...      extract (kind oscar) into OUT_DIR/0000.jsonl.gz
    smie-signatures SHARD OUT.npz            dedup_signatures
    smie-find OUT.jsonl.gz SIG.npz...        dedup_find
    smie-filter SHARD DUPLICATES OUT_DIR     dedup_shard (filter_shard, audit on)

Signatures and find use the default ``dedup.Settings``, or those of a first
argument ``--settings=JSON`` (the config's ``dedup`` block).

datatrove jobs run whole pipelines through LocalPipelineExecutor (``--tasks``,
``--workers``), reading ``--input`` (files matching ``--glob``, text in
``--text-key``) and writing under ``--work``:

    dt-read       JsonlReader -> JsonlWriter
    dt-exact      ExactDedupSignature -> ExactFindDedups -> ExactDedupFilter (+ JsonlWriter)
    dt-minhash    MinhashDedupSignature -> Buckets -> Cluster -> Filter (+ JsonlWriter), default MinhashConfig

Every job prints one JSON line on stdout: the seconds of each of its phases.
:func:`run_jobs` runs waves of such jobs and measures wall time and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


# --- smie jobs --------------------------------------------------------------


def smie_job(job: str, args: list[str]) -> dict:
    from smie import dedup

    settings = dedup.Settings()
    if args and args[0].startswith("--settings="):
        settings = dedup.Settings.from_dict(json.loads(args.pop(0).split("=", 1)[1]))
    t = time.perf_counter()
    if job == "smie-extract":
        from smie.extract.run import extract

        source, out = args[0], Path(args[1])
        out.mkdir(parents=True, exist_ok=True)
        stats = extract(args[2:], kind="oscar", source=source, lang_hint=None,
                        shard_paths=[out / "0000.jsonl.gz"], stats_path=out / "stats.json",
                        rejected_path=out / "rejected.jsonl.gz")
        result = {"documents": stats.docs["kept"], "words": stats.words["kept"]}
    elif job == "smie-signatures":
        result = {"documents": dedup.compute_signatures(args[0], args[1], settings)}
    elif job == "smie-find":
        result = dedup.find_duplicates(args[1:], args[0], settings)
    elif job == "smie-filter":
        from smie.shard_filter import filter_shard

        shard, out = Path(args[0]), Path(args[2])
        out.mkdir(parents=True, exist_ok=True)
        stats = filter_shard(shard, out / shard.name, out / "stats.json", out / "dropped.jsonl.gz",
                             stage="dedup", source="bench", step=dedup.make_filter_step(args[1]))
        result = {"kept": stats.docs["kept"]}
    else:
        raise SystemExit(f"unknown job {job}")
    return {"seconds": time.perf_counter() - t, **result}


# --- datatrove jobs ---------------------------------------------------------


def _text(doc) -> str:
    return doc.text


def datatrove_job(job: str, args: list[str]) -> dict:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    p = argparse.ArgumentParser(prog=job)
    p.add_argument("--input", required=True)
    p.add_argument("--glob", required=True)
    p.add_argument("--text-key", default="text")
    p.add_argument("--work", required=True)
    p.add_argument("--tasks", type=int, default=2)
    p.add_argument("--workers", type=int, default=1)
    a = p.parse_args(args)
    work = a.work

    def reader():
        return JsonlReader(a.input, glob_pattern=a.glob, text_key=a.text_key)

    def filtered(step):
        # kept documents written like smie's shards; removed ones too, as smie's audit does
        return [reader(), step, JsonlWriter(f"{work}/kept")]

    if job == "dt-read":
        steps = {"read": ([reader(), JsonlWriter(f"{work}/out")], a.tasks)}
    elif job == "dt-exact":
        from datatrove.pipeline.dedup.exact_dedup import (
            ExactDedupConfig, ExactDedupFilter, ExactDedupSignature, ExactFindDedups)

        config = ExactDedupConfig(content_getter=_text)
        steps = {
            "signatures": ([reader(), ExactDedupSignature(f"{work}/sigs", config=config)], a.tasks),
            "find": ([ExactFindDedups(f"{work}/sigs", f"{work}/dups", config=config)], 1),
            "filter": (filtered(ExactDedupFilter(f"{work}/dups", config=config,
                                                 exclusion_writer=JsonlWriter(f"{work}/removed"))), a.tasks),
        }
    elif job == "dt-minhash":
        from datatrove.pipeline.dedup.minhash import (
            MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster, MinhashDedupFilter, MinhashDedupSignature)

        config = MinhashConfig()  # the default: 5-grams, 14 buckets of 8 hashes
        steps = {
            "signatures": ([reader(), MinhashDedupSignature(f"{work}/sigs", config=config)], a.tasks),
            # one task per bucket at least: the step asserts tasks % num_buckets == 0
            "buckets": ([MinhashDedupBuckets(f"{work}/sigs", f"{work}/buckets", config=config)],
                        config.num_buckets),
            "cluster": ([MinhashDedupCluster(f"{work}/buckets", f"{work}/remove", config=config)], 1),
            "filter": (filtered(MinhashDedupFilter(f"{work}/remove",
                                                   exclusion_writer=JsonlWriter(f"{work}/removed"))), a.tasks),
        }
    else:
        raise SystemExit(f"unknown job {job}")
    out = {}
    for name, (pipeline, tasks) in steps.items():
        t = time.perf_counter()
        LocalPipelineExecutor(pipeline, tasks=tasks, workers=min(a.workers, tasks),
                              logging_dir=f"{work}/logs/{name}").run()
        out[name] = time.perf_counter() - t
    return {"seconds": sum(out.values()), "phases": out}


# --- the runner -------------------------------------------------------------


def _tree_memory(root: int) -> int:
    """Bytes of memory of every descendant of ``root``: PSS (shared pages split), else RSS."""
    parent = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    children: dict[int, list[int]] = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
            try:
                line = next(l for l in Path(f"/proc/{pid}/{name}").read_text().splitlines() if l.startswith(key))
                total += int(line.split()[1]) * 1024
                break
            except (OSError, StopIteration):
                continue
    return total


def run_jobs(waves: list[list[list[str]]], workers: int, log: Path, interval: float = 0.1) -> dict:
    """Run each wave's jobs (argv lists), ``workers`` at a time; waves one after another.

    Returns ``wall`` seconds, ``wave_walls``, ``rss_mb`` (the largest single
    process, from wait4's ru_maxrss, which covers a job's reaped children),
    ``tree_mb`` (the peak of all running processes' memory together, sampled every
    ``interval`` s), ``load`` (lowest and highest 1-minute load average of the
    machine, same samples) and ``results`` (every job's JSON line, in order of the
    waves).
    """
    peak = [0]
    load = [os.getloadavg()[0]] * 2
    done = threading.Event()

    def sample():
        while not done.wait(interval):
            peak[0] = max(peak[0], _tree_memory(os.getpid()))
            now = os.getloadavg()[0]
            load[:] = min(load[0], now), max(load[1], now)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rss, wave_walls, results = 0, [], []
    start = time.perf_counter()
    with open(log, "a") as err:
        for wave in waves:
            t = time.perf_counter()
            pending, running, outputs = list(enumerate(wave)), {}, {}
            while pending or running:
                while pending and len(running) < workers:
                    i, argv = pending.pop(0)
                    out = log.with_name(f"{log.stem}.{len(results) + i}.out")
                    with open(out, "w") as f:
                        proc = subprocess.Popen(argv, stdout=f, stderr=err, cwd=REPO)
                    running[proc.pid] = (i, argv, proc, out)
                # wait4, not Popen.wait: it returns the job's peak RSS
                pid, status, usage = os.wait4(-1, 0)
                if pid not in running:
                    continue
                i, argv, proc, out = running.pop(pid)
                proc.returncode = os.waitstatus_to_exitcode(status)
                rss = max(rss, usage.ru_maxrss)
                if proc.returncode:
                    done.set()
                    raise RuntimeError(f"job failed ({proc.returncode}): {' '.join(argv)}; see {log}")
                outputs[i] = json.loads(out.read_text().strip().splitlines()[-1])
            wave_walls.append(time.perf_counter() - t)
            results.extend(outputs[i] for i in range(len(wave)))
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return {"wall": wall, "wave_walls": wave_walls, "rss_mb": rss / 1024,
            "tree_mb": peak[0] / 2**20, "load": tuple(load), "results": results}


def job(*args: str) -> list[str]:
    """argv of a job of this module."""
    return [sys.executable, str(Path(__file__).resolve()), *map(str, args)]


if __name__ == "__main__":
    name, rest = sys.argv[1], sys.argv[2:]
    result = smie_job(name, rest) if name.startswith("smie-") else datatrove_job(name, rest)
    print(json.dumps(result))
