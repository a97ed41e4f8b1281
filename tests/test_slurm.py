"""The workflow on a real Slurm cluster through profiles/slurm: the whole demo DAG, a
pretraining job killed at its walltime that resumes on its retry, a retry with more
memory and time, and the GPU mapping.

Needs the one-node cluster of tests/slurm/start-cluster.sh (.ci/run starts it when it
runs as root); skipped without it. profiles/slurm is used as users get it, with
tests/slurm/profile on top for what this cluster lacks (slurmdbd)."""

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DEMO_CONFIG, REPO, demo_config, job_counts, snakemake, without_timings

PROFILES = ["--profile", str(REPO / "profiles" / "slurm"), "--profile", str(REPO / "tests" / "slurm" / "profile")]
STAND_INS = REPO / "tests" / "slurm" / "Snakefile"
# Rules that profiles/slurm sends to the gpu partition (the pretraining and fine-tuning rules).
GPU_RULES = {rule for rule, res in yaml.safe_load((REPO / "profiles" / "slurm" / "config.yaml").read_text())
             ["set-resources"].items() if res.get("slurm_partition") == "'gpu'"}
# The BERT model added to the demo for the walltime test: attempt 1 gets a 2-minute
# limit and enough steps to need about SLOW_SECONDS of training.
SLOW = "slow"
SLOW_SECONDS = 210


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
    """{job id: {field: value}} of every job slurmctld still holds (MinJobAge: 4 hours)."""
    out = subprocess.run(["scontrol", "-o", "show", "job"], capture_output=True, text=True, check=True).stdout
    jobs = (dict(re.findall(r"(\S+?)=(\S*)", line)) for line in out.splitlines())
    return {int(job["JobId"]): job for job in jobs if "JobId" in job}


def megabytes(size):
    """Slurm's memory figure ("8000M", "62.50G") in MB."""
    return round(float(size[:-1]) * {"M": 1, "G": 1024, "T": 1024**2}[size[-1]])


def minutes(limit):
    """Slurm's time limit ("30:00", "02:00:00", "2-00:00:00") in minutes."""
    days, _, clock = limit.rpartition("-")
    parts = [int(p) for p in clock.split(":")]
    h, m, s = [0] * (3 - len(parts)) + parts
    return (int(days or 0) * 24 + h) * 60 + m + s / 60


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


def seconds_per_slow_step():
    """Seconds of one optimizer step of the slow model here (batch 32 x 128, one thread),
    so that its step count means about the same wall time on any machine."""
    code = """
import time, torch
from smie.bert.model import PretrainingLoss, Size, new_model
torch.set_num_threads(1)
torch.manual_seed(0)
model = new_model(Size(hidden=128, layers=2, heads=2, intermediate=512).bert_config(2000, 0), nsp=True)
optimizer, loss = torch.optim.AdamW(model.parameters()), PretrainingLoss(model)
ids = torch.randint(5, 2000, (32, 128))
labels = torch.where(torch.rand(32, 128) < 0.15, ids, -100)
def step():
    loss(ids, labels, torch.zeros_like(ids), torch.ones_like(ids), torch.randint(0, 2, (32,)))[0].backward()
    optimizer.step()
    optimizer.zero_grad()
step()
start = time.perf_counter()
for _ in range(5):
    step()
print((time.perf_counter() - start) / 5)
"""
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return float(proc.stdout)


def slurm_config(tmp_path):
    """The demo config as a GPU cluster runs it, plus the slow model.

    Every pretraining model gets one GPU, as a real run's would, so that it goes where
    real pretraining goes (the test cluster's GPUs are fake: torch sees none and trains
    on the CPU, exactly as the demo does locally). The slow model reads the tiny
    model's data and vocabulary, and never checkpoints on its own: only the SIGTERM
    Slurm sends at the walltime can give its retry something to resume from.
    """
    config = copy.deepcopy(demo_config())
    for kind in ("bert", "elmo"):
        for model in config[kind]["models"].values():
            model["resources"] = {**model["resources"], "gpu": 1}
    tiny = config["bert"]["models"]["tiny"]
    steps = max(100, round(SLOW_SECONDS / seconds_per_slow_step()))
    config["bert"]["models"][SLOW] = {
        "vocab": tiny["vocab"], "size": "tiny",
        "phases": [{"seq_length": 128, "steps": steps, "batch_size": 32, "micro_batch": 32, "lr": 1.0e-3,
                    "warmup": 0.1}],
        "checkpoint_every": 10 * steps, "log_every": 10,
        "resources": {"gpu": 1, "cpus_per_gpu": 1, "mem_mb": 2000, "runtime": 30},
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path, config


def walltime_profile(tmp_path):
    """profiles/slurm's set-resources, plus a 2-minute walltime for the slow model's first attempt.

    A later profile replaces a whole top-level key, so the GPU partitions are copied from
    the users' profile rather than restated.
    """
    resources = yaml.safe_load((REPO / "profiles" / "slurm" / "config.yaml").read_text())["set-resources"]
    resources["pretrain_bert"]["runtime"] = f"2 if attempt == 1 and wildcards.model == {SLOW!r} else 30"
    profile = tmp_path / "walltime"
    profile.mkdir()
    (profile / "config.yaml").write_text(yaml.safe_dump({"set-resources": resources}))
    return ["--profile", str(profile)]


@pytest.fixture(scope="module")
def slurm_run(tmp_path_factory):
    """The whole demo DAG (and the slow model) through Slurm, in one Snakemake run."""
    workdir = tmp_path_factory.mktemp("slurm")
    setup = tmp_path_factory.mktemp("slurm-setup")
    configfile, config = slurm_config(setup)
    proc = snakemake("--configfile", str(configfile), "--directory", str(workdir), *PROFILES, *walltime_profile(setup))
    return workdir, config, proc.stdout + proc.stderr


def local_rules():
    """Rules that never reach Slurm: those declared `localrule: True`, and target rules
    (no shell, script or run: they only name files)."""
    local = set()
    for path in [REPO / "Snakefile", *(REPO / "rules").glob("*.smk")]:
        for block in re.split(r"^rule ", path.read_text(), flags=re.M)[1:]:
            name, body = block.split(":", 1)
            body = re.split(r"^\S", body, maxsplit=1, flags=re.M)[0]  # up to the next top-level line
            if "localrule: True" in body or not re.search(r"^\s+(shell|script|run|wrapper|notebook):", body, re.M):
                local.add(name)
    return local


def pretrain_ids(workdir, rule, model):
    """Slurm job ids of one pretraining model's jobs, in submission order."""
    # the executor's log folders are named by the wildcards joined with "_": "<model>_<phase>", "<model>"
    folders = [d for d in (workdir / ".snakemake" / "slurm_logs" / f"rule_{rule}").iterdir()
               if d.name == model or d.name.startswith(f"{model}_")]
    return sorted(int(log.stem) for d in folders for log in d.glob("*.log"))


def test_every_demo_job_ran_as_one_slurm_job_on_its_partition(slurm_run):
    workdir, config, output = slurm_run
    planned = job_counts(output)
    # downloads, tables and indexes run on the submit host (localrule), as do target rules
    local = local_rules()
    assert {"download_file", "bert_data_index", "all"} <= local
    logs = slurm_logs(workdir)
    expected = {rule: n for rule, n in planned.items() if rule not in local}
    expected["pretrain_bert"] += 1  # the slow model's retry
    assert {rule: len(ids) for rule, ids in logs.items()} == expected
    assert {"pretrain_bert", "pretrain_elmo"} <= set(logs) & GPU_RULES
    jobs = slurm_jobs()
    for rule, ids in logs.items():
        for job_id in ids:
            job = jobs[job_id]
            assert job["Comment"].startswith(f"rule_{rule}"), (job_id, rule)
            assert job["Partition"] == ("gpu" if rule in GPU_RULES else "cpu"), (job_id, rule)
            assert rule in GPU_RULES or "gpu" not in job.get("TresPerJob", ""), (job_id, rule)
            assert job["JobState"] == "COMPLETED" or rule == "pretrain_bert", (job_id, rule)
    # pretraining: one job per model and phase, with what the model's config asks for
    for kind in ("bert", "elmo"):
        for name, model in config[kind]["models"].items():
            ids = pretrain_ids(workdir, f"pretrain_{kind}", name)
            assert len(ids) == len(model.get("phases", [None])) + (name == SLOW), (kind, name, ids)
            res = model["resources"]
            for job_id in ids:
                job = jobs[job_id]
                attempt = 2 if name == SLOW and job_id == ids[-1] else 1  # memory grows with each attempt
                assert job["TresPerJob"] == "gres:gpu:1", (name, job_id)
                assert job["CpusPerTres"] == f"gres:gpu:{res['cpus_per_gpu']}", (name, job_id)
                assert megabytes(job["MinMemoryNode"]) == res["mem_mb"] * attempt, (name, job_id)
                if name != SLOW:
                    assert job["JobState"] == "COMPLETED" and minutes(job["TimeLimit"]) == res["runtime"], (name, job_id)


def test_a_pretraining_job_killed_at_its_walltime_resumes_on_its_retry(slurm_run):
    from transformers import BertForPreTraining

    workdir, config, _ = slurm_run
    first, second = (slurm_jobs()[i] for i in pretrain_ids(workdir, "pretrain_bert", SLOW))
    # attempt 1: 2 minutes, killed by Slurm at its walltime; attempt 2: the model's own 30
    assert (first["JobState"], minutes(first["TimeLimit"])) == ("TIMEOUT", 2)
    assert (second["JobState"], minutes(second["TimeLimit"])) == ("COMPLETED", 30)
    assert "DUE TO TIME LIMIT" in open(first["StdOut"]).read()
    # the retry started from the checkpoint saved on Slurm's SIGTERM (none is saved otherwise)
    steps = config["bert"]["models"][SLOW]["phases"][0]["steps"]
    log = (workdir / "logs" / "bert" / SLOW / "phase1.log").read_text()
    resumed = re.search(r"smie: resuming from \S+ \(step (\d+)\)", log)
    assert resumed and 0 < int(resumed[1]) < steps, log[:2000]
    assert f"steps {resumed[1]}..{steps}" in log
    # the first attempt's log, deleted by Snakemake before the retry, is kept in the attempts file
    attempts = (workdir / "logs" / "bert" / SLOW / "phase1.attempts.log").read_text()
    assert f"smie: signal 15: checkpoint at step {resumed[1]} saved, stopping" in attempts.split("--- attempt started")[1]
    # the export: complete, loadable, and its training log reads as one uninterrupted run
    out = workdir / "results" / "bert" / SLOW / "phase1"
    model = BertForPreTraining.from_pretrained(out)
    assert model.config.hidden_size == 128
    training = [json.loads(line) for line in (out / "training.jsonl").read_text().splitlines()]
    assert [r["step"] for r in training] == list(range(10, steps + 1, 10)) + ([steps] if steps % 10 else [])


def test_slurm_results_are_byte_identical_to_a_local_run(slurm_run, demo_run):
    workdir, _, _ = slurm_run

    def results(root):
        return {p.relative_to(root): p.read_bytes() for p in (root / "results").rglob("*")
                if p.is_file() and SLOW not in p.relative_to(root / "results").parts}

    local, slurm = without_timings(results(demo_run)), without_timings(results(workdir))
    assert sorted(slurm) == sorted(local)
    # the slow model is in the Slurm run's results table and loss curves too: take it out
    table = Path("results/tables/results.csv")
    slurm[table] = [row for row in slurm[table] if row["model"] != SLOW]
    plot = Path("results/plots/bert_loss.png")
    assert slurm.pop(plot) != local.pop(plot)
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


def test_gpu_rules_see_their_gpu_in_cuda_visible_devices(tmp_path):
    # The demo's pretraining jobs cannot report their environment; stand-ins named like
    # them (asking for a GPU the same way, resources: gpu=1) record what the job sees.
    run_stand_ins(tmp_path, "pretrain_bert.jsonl", "pretrain_elmo.jsonl")
    for record in records(tmp_path / "pretrain_bert.jsonl") + records(tmp_path / "pretrain_elmo.jsonl"):
        assert record["SLURM_JOB_PARTITION"] == "gpu"
        assert re.fullmatch(r"\d+", record["CUDA_VISIBLE_DEVICES"] or "")
        job = slurm_jobs()[int(record["SLURM_JOB_ID"])]
        assert (job["Partition"], job["TresPerJob"]) == ("gpu", "gres:gpu:1")


def test_the_multi_node_launch_meets_as_one_process_group(tmp_path):
    # The README's multi-node recipe (srun starting one torchrun agent per node inside
    # the job, a c10d rendezvous at the first node) with two agents on the one node here.
    run_stand_ins(tmp_path, "two_agents.jsonl")
    procs = records(tmp_path / "two_agents.jsonl")
    assert sorted(int(p["RANK"]) for p in procs) == [0, 1, 2, 3]
    assert {p["WORLD_SIZE"] for p in procs} == {"4"} and {p["sum"] for p in procs} == {10.0}
    assert sorted((p["GROUP_RANK"], p["LOCAL_RANK"]) for p in procs) == [("0", "0"), ("0", "1"), ("1", "0"), ("1", "1")]
    assert {p["SLURM_PROCID"] for p in procs} == {"0", "1"}  # two srun tasks: the agents
    assert len({p["SLURM_JOB_ID"] for p in procs}) == 1
