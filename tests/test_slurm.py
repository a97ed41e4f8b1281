"""The workflow on a real Slurm cluster through profiles/slurm: the demo DAG, a retry
with more memory and time, and GPU rules on the gpu partition.

Needs the one-node cluster of tests/slurm/start-cluster.sh (.ci/run starts it when it
runs as root); skipped without it. profiles/slurm is used as users get it, with
tests/slurm/profile on top for what this cluster lacks (slurmdbd)."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import DEMO_CONFIG, REPO, job_counts, snakemake

PROFILES = ["--profile", str(REPO / "profiles" / "slurm"), "--profile", str(REPO / "tests" / "slurm" / "profile")]
STAND_INS = REPO / "tests" / "slurm" / "Snakefile"
# Jobs of the demo's corpus target that never reach Slurm: downloads and tables are
# localrules, and a target rule without a body runs nowhere.
LOCAL_RULES = {"download_file", "funnel_table", "language_table", "corpus"}


def why_no_test_cluster():
    """None when the test cluster answers; else the reason to skip."""
    if not shutil.which("sinfo"):
        return "no Slurm here (sinfo missing); start one with tests/slurm/start-cluster.sh as root"
    try:
        proc = subprocess.run(["sinfo", "-h", "-o", "%R %a"], capture_output=True, text=True, timeout=10)
    except subprocess.TimeoutExpired:
        return "the Slurm cluster does not answer (sinfo timed out)"
    if proc.returncode != 0:
        return f"the Slurm cluster does not answer: {proc.stderr.strip()}"
    up = {line.split()[0] for line in proc.stdout.splitlines() if line.endswith(" up")}
    if not {"cpu", "gpu"} <= up:
        return f"Slurm partitions {sorted(up)} are not the test cluster's cpu and gpu (tests/slurm/start-cluster.sh)"
    return None


NO_CLUSTER = why_no_test_cluster()
pytestmark = pytest.mark.skipif(NO_CLUSTER is not None, reason=NO_CLUSTER or "")


def slurm_jobs():
    """{job id: {field: value}} of every job slurmctld still holds (MinJobAge: 10 minutes)."""
    out = subprocess.run(["scontrol", "-o", "show", "job"], capture_output=True, text=True, check=True).stdout
    jobs = (dict(re.findall(r"(\S+?)=(\S*)", line)) for line in out.splitlines())
    return {int(job["JobId"]): job for job in jobs if "JobId" in job}


def megabytes(size):
    """Slurm's memory figure ("8000M", "62.50G") in MB."""
    return round(float(size[:-1]) * {"M": 1, "G": 1024, "T": 1024**2}[size[-1]])


def slurm_logs(workdir):
    """{rule: [Slurm job ids]}, from the executor's logs .snakemake/slurm_logs/rule_<rule>/.../<id>.log."""
    logs = {}
    for log in (workdir / ".snakemake" / "slurm_logs").rglob("*.log"):
        rule = log.relative_to(workdir / ".snakemake" / "slurm_logs").parts[0].removeprefix("rule_")
        logs.setdefault(rule, []).append(int(log.stem))
    return logs


def run_stand_ins(workdir, *targets):
    """Run targets of tests/slurm/Snakefile through the profiles."""
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(STAND_INS), "--directory", str(workdir), *PROFILES, *targets]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}"


def records(path):
    """What the stand-in jobs recorded in `path`, one dict per job."""
    return [json.loads(line) for line in path.read_text().splitlines()]


# ---------------------------------------------------------------- the demo DAG


@pytest.fixture(scope="module")
def slurm_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("slurm")
    proc = snakemake("--configfile", str(DEMO_CONFIG), "--directory", str(workdir), *PROFILES, "corpus")
    return workdir, job_counts(proc.stdout + proc.stderr)


def test_every_demo_job_ran_as_one_slurm_job_on_the_cpu_partition(slurm_run):
    workdir, planned = slurm_run
    logs = slurm_logs(workdir)
    assert {rule: len(ids) for rule, ids in logs.items()} == {
        rule: n for rule, n in planned.items() if rule not in LOCAL_RULES
    }
    jobs = slurm_jobs()
    for rule, ids in logs.items():
        for job_id in ids:
            job = jobs[job_id]
            assert job["Comment"].startswith(f"rule_{rule}"), (job_id, rule)
            assert (job["JobState"], job["Partition"]) == ("COMPLETED", "cpu"), (job_id, rule)


def test_slurm_results_are_byte_identical_to_a_local_run(slurm_run, tmp_path):
    workdir, _ = slurm_run
    snakemake("--configfile", str(DEMO_CONFIG), "--directory", str(tmp_path), "--cores", "2", "corpus")
    local = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "results").rglob("*") if p.is_file()}
    slurm = {p.relative_to(workdir): p.read_bytes() for p in (workdir / "results").rglob("*") if p.is_file()}
    assert sorted(slurm) == sorted(local)
    assert slurm == local


# ---------------------------------------------------------------- the profile's mappings


def test_a_failed_job_is_resubmitted_with_more_memory_and_time(tmp_path):
    run_stand_ins(tmp_path, "flaky.done")
    attempts = records(tmp_path / "flaky.attempts.jsonl")
    jobs = [slurm_jobs()[int(a["SLURM_JOB_ID"])] for a in attempts]
    assert [a["mem_mb"] for a in attempts] == [4000, 8000]
    assert [megabytes(job["MinMemoryNode"]) for job in jobs] == [4000, 8000]
    assert [job["TimeLimit"] for job in jobs] == ["02:00:00", "04:00:00"]
    assert [job["JobState"] for job in jobs] == ["FAILED", "COMPLETED"]
    assert {a["SLURM_JOB_PARTITION"] for a in attempts} == {"cpu"}
    assert not any(a["CUDA_VISIBLE_DEVICES"] for a in attempts)


def test_gpu_rules_run_on_the_gpu_partition_with_a_gpu(tmp_path):
    # Stand-ins named like the pretraining rules (and asking for a GPU the same way,
    # resources: gpu=1); once those rules exist, check them on the demo instead.
    run_stand_ins(tmp_path, "pretrain_bert.jsonl", "pretrain_elmo.jsonl")
    for record in records(tmp_path / "pretrain_bert.jsonl") + records(tmp_path / "pretrain_elmo.jsonl"):
        assert record["SLURM_JOB_PARTITION"] == "gpu"
        assert re.fullmatch(r"\d+", record["CUDA_VISIBLE_DEVICES"] or "")
        job = slurm_jobs()[int(record["SLURM_JOB_ID"])]
        assert (job["Partition"], job["TresPerJob"], job["CpusPerTres"]) == ("gpu", "gres:gpu:1", "gres:gpu:8")
        assert megabytes(job["MinMemoryNode"]) == 64000 and job["TimeLimit"] == "2-00:00:00"
