# Helpers shared by all rules: where each stage's files live. Every setting comes
# from CONFIG (smie/config.py), the one place the config is read.
import json
import os
import re
import sys

from smie.config import file_name
from smie.provenance import git_commit

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
    """How a pretraining job starts its script: one process, or one per GPU through torchrun.

    The Python is the rule's conda environment's under --sdm conda, else the one
    running Snakemake (a virtual environment need not be activated). Multi-node
    runs start torchrun on every node themselves (README, "Slurm").
    """
    in_conda = any(m.name == "CONDA" for m in workflow.deployment_settings.deployment_method)
    python = "python" if in_conda else sys.executable
    if int(gpus) > 1:
        return f"{python} -m torch.distributed.run --standalone --nproc_per_node {int(gpus)}"
    return python


# --- langid


def discriminator_inputs():
    """The labelled files train_discriminator reads (none when it is not used)."""
    if not CONFIG.uses_discriminator():
        return []
    return [path for inputs in CONFIG.discriminator_files().values() for path, _ in inputs]


def discriminator_stats():
    return [rules.train_discriminator.output.stats] if CONFIG.uses_discriminator() else []


def langid_inputs(wildcards):
    """A cleaned shard, and the discriminator's model where it decides."""
    inputs = {"docs": f"results/clean/{wildcards.source}/{wildcards.shard}.jsonl.gz"}
    if CONFIG.uses_discriminator():
        inputs["discriminator"] = rules.train_discriminator.output.model
    return inputs


# --- udpipe


def udpipe_model_path(lang):
    """Where the UDPipe model of a language is: downloaded, local, or trained."""
    spec = CONFIG.udpipe_model(lang)
    if "url" in spec:
        return f"resources/udpipe/{file_name(spec['url'])}"
    if "path" in spec:
        return spec["path"]
    return f"results/udpipe/models/{spec['train']}.udpipe"


UDPIPE_MODELS = {lang: udpipe_model_path(lang) for lang in CONFIG.languages}


def udpipe_shard_outputs():
    """The aligned corpora of one shard (and its CoNLL-U where configured), and stats."""
    outputs = {kind: f"results/udpipe/{{source}}/{{shard}}.{kind}.txt.gz" for kind in UDPIPE_KINDS}
    if CONFIG.udpipe_conllu():
        outputs["conllu"] = "results/udpipe/{source}/{shard}.conllu.gz"
    outputs["stats"] = "results/udpipe/{source}/{shard}.stats.json"
    return outputs


# --- bert

BERT_MODELS = CONFIG.bert["models"]
BERT_NAMES = names_of(BERT_MODELS)
BERT_DATA = "results/bert/data/{vocab}/seq{length}-{task}"
BERT_EXPORT = ["config.json", "model.safetensors", "training.jsonl", "tokenizer.json", "vocab.txt"]


def bert_data_shards(wildcards, suffix):
    """Every shard's ``suffix`` file of one pretraining data set (vocab, length, task)."""
    return per_shard(f"{BERT_DATA.format(**wildcards)}/{{source}}/{{shard}}.{suffix}")


def bert_data_dir(model, phase):
    settings = CONFIG.bert_phase(model, phase)
    task = "nsp" if settings["settings"]["nsp"] else "mlm"
    return BERT_DATA.format(
        vocab=settings["settings"]["vocab"], length=settings["phase_settings"]["seq_length"], task=task
    )


bert_final = CONFIG.bert_export


# --- elmo

ELMO_MODELS = CONFIG.elmo["models"]
ELMO_MODEL_NAMES = names_of(ELMO_MODELS)
ELMO_EXPORT = ["options.json", "model.hdf5", "vocab.txt", "training.jsonl"]


def elmo_corpus_spec(name):
    """The corpus files as a pattern and the shards of each source: a list of
    thousands of paths would exceed the length of one command-line argument."""
    pattern = f"results/udpipe/{{source}}/{{shard:04d}}.{CONFIG.elmo_corpus(name)}.txt.gz"
    files = {s: CONFIG.shards(s) for s in SOURCES}
    expanded = [pattern.format(source=s, shard=k) for s, n in files.items() for k in range(n)]
    assert expanded == udpipe_outputs(CONFIG.elmo_corpus(name)), "the pattern must name the rule's input files"
    return {"pattern": pattern, "shards": files}


# --- evaluate

EVAL_TASKS = CONFIG.evaluation["tasks"]
EVAL_TASK_NAMES = names_of(EVAL_TASKS)
EVAL_MODELS = CONFIG.evaluated_models()
EVAL_MODEL_NAMES = names_of(EVAL_MODELS)
EVAL_RESOURCES = CONFIG.eval_resources()


def eval_file(task, split):
    return f"resources/eval/{task}/{file_name(EVAL_TASKS[task][split]['url'])}"


def model_inputs(name):
    """The files of a model the evaluation waits for (a baseline's: the one that says what it is)."""
    kind, directory = EVAL_MODELS[name]
    if name in BERT_MODELS:
        return [f"{directory}/config.json", f"{directory}/model.safetensors"]
    if name in ELMO_MODELS:
        return [f"{directory}/options.json", f"{directory}/model.hdf5"]
    return [f"{directory}/{'config.json' if kind == 'bert' else 'options.json'}"]


def evaluation_records(models=EVAL_MODELS):
    """Every seed's evaluation record of ``models`` on every task (none without tasks)."""
    return [
        f"results/evaluate/{task}/{model}/seed{seed}.json"
        for task in EVAL_TASKS
        for model in models
        for seed in CONFIG.seeds()
    ]


# --- cards


def corpus_stats(stages):
    """Every source's extract stats and its shards' stats of ``stages``."""
    return [f"results/extract/{s}/stats.json" for s in SOURCES] + [
        f for stage in stages for f in per_shard(f"results/{stage}/{{source}}/{{shard}}.stats.json")
    ]


def card_paths():
    bert = [f"results/bert/{m}/phase{p}/README.md" for m in BERT_MODELS for p in range(1, CONFIG.bert_phases(m) + 1)]
    return bert + [f"results/elmo/{m}/README.md" for m in ELMO_MODELS] + ["results/dedup/README.md"]
