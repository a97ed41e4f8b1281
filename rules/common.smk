# Helpers shared by all rules: where each stage's files live. Every setting comes
# from CONFIG (smie/config.py), the one place the config is read.
import re
import sys

from smie.config import file_name
from smie.provenance import git_commit


wildcard_constraints:
    source="[A-Za-z][A-Za-z0-9_]*",
    filename="[^/]+",
    shard=r"\d{4}",
    name=r"[A-Za-z0-9][A-Za-z0-9_.-]*",


SOURCES = CONFIG.sources


def runtime(value):
    """A param that changes how a job runs, not what it makes (retries, intervals,
    audit files): Snakemake leaves params computed from a job's resources out of its
    rerun trigger, so an edit of these reruns nothing. ``value``: data, or a function
    of the wildcards."""
    return lambda wildcards, resources: value(wildcards) if callable(value) else value


def table_commit():
    """The checkout's commit, for a table's provenance: a runtime param, so that a new
    commit reruns no table."""
    return runtime(lambda wildcards: git_commit(workflow.basedir))


def table_outputs(name, caption, category, label):
    """A table's four files; its HTML is shown in the report, with its caption."""
    return dict(
        csv=f"results/tables/{name}.csv",
        md=f"results/tables/{name}.md",
        tex=f"results/tables/{name}.tex",
        html=report(
            f"results/tables/{name}.html", caption=caption, category=category, labels={"result": f"{label} (table)"}
        ),
    )


def names_of(mapping):
    """A wildcard constraint matching exactly the configured names ("(?!)": none)."""
    return "|".join(map(re.escape, mapping)) or "(?!)"


def download_path(source, spec):
    return f"resources/download/{source}/{file_name(spec['url'])}"


def download_paths(source):
    return [download_path(source, spec) for spec in SOURCES[source].get("files", [])]


def get_extract_input(source):
    """Downloaded files of the source, or its local path read in place."""
    if "path" in SOURCES[source]:
        return [SOURCES[source]["path"]]
    return download_paths(source)


def get_part_input(source):
    """The input function of extract_<source>_part: the part's file, and the file's
    index when the part reads a range of its streams."""

    def part_input(wildcards):
        spec = SOURCES[source]["files"][int(wildcards.part.split("-")[0])]
        index = [download_path(source, spec["index"])] if spec["parts"] > 1 else []
        return [download_path(source, spec), *index]

    return part_input


def extract_part_outputs(source, part):
    """What one part of a source's extraction leaves for the merge."""
    where = f"results/extract/{source}/parts/{part}"
    return dict(
        shards=[f"{where}/{k}.jsonl.gz" for k in shard_ids(source)],
        stats=f"{where}/stats.json",
        rejected=f"{where}/rejected.jsonl.gz",
    )


def shard_ids(source):
    return [f"{i:04d}" for i in range(CONFIG.shards(source))]


def per_shard(pattern):
    """``pattern`` with {source} and {shard} filled in for every shard of every source."""
    return [pattern.format(source=s, shard=k) for s in SOURCES for k in shard_ids(s)]


def shard_paths(stage, source):
    return [f"results/{stage}/{source}/{k}.jsonl.gz" for k in shard_ids(source)]


def stage_outputs(stage):
    """Every document shard of a per-shard stage, and its stats."""
    return per_shard(f"results/{stage}/{{source}}/{{shard}}.jsonl.gz") + per_shard(
        f"results/{stage}/{{source}}/{{shard}}.stats.json"
    )


UDPIPE_KINDS = ["sentences", "tokens", "lemmas"]


def udpipe_outputs(kind):
    """Every shard's ``kind`` corpus of the udpipe stage: sentences, tokens or lemmas."""
    if kind not in UDPIPE_KINDS:
        raise ValueError(f"udpipe has no {kind!r} corpus (one of {UDPIPE_KINDS})")
    return per_shard(f"results/udpipe/{{source}}/{{shard}}.{kind}.txt.gz")


def extract_outputs(source):
    return shard_paths("extract", source) + [
        f"results/extract/{source}/stats.json",
        f"results/extract/{source}/rejected.jsonl.gz",
    ]


def pretrain_resources(family):
    """A pretraining job's resources from its model's ``resources`` block: its GPUs, their
    CPUs, and memory that grows with each retry."""
    of = lambda w: CONFIG.model_resources(family, w.model)
    return dict(
        gpu=lambda w: of(w)["gpu"],
        cpus_per_gpu=lambda w: of(w)["cpus_per_gpu"] if of(w)["gpu"] else 0,
        mem_mb=lambda w, attempt: of(w)["mem_mb"] * attempt,
        runtime=lambda w: of(w)["runtime"],
    )


def pretrain_threads(family):
    """One CPU per cpus_per_gpu and GPU (cpus_per_gpu alone on the CPU)."""
    of = lambda w: CONFIG.model_resources(family, w.model)
    return lambda w: max(1, of(w)["gpu"]) * of(w)["cpus_per_gpu"]


def torch_launcher(gpus):
    """How a pretraining rule starts its script: one process, or one per GPU through torchrun.

    The Python is the rule's conda environment's under --sdm conda, else the one
    running Snakemake (a virtual environment need not be activated). Multi-node
    runs start torchrun on every node themselves (README, "Slurm").
    """
    in_conda = any(m.name == "CONDA" for m in workflow.deployment_settings.deployment_method)
    python = "python" if in_conda else sys.executable
    if int(gpus) > 1:
        return f"{python} -m torch.distributed.run --standalone --nproc_per_node {int(gpus)}"
    return python
