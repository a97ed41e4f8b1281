# Helpers shared by all rules: where each stage's files live, and input functions.
import hashlib
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse


wildcard_constraints:
    source="[A-Za-z][A-Za-z0-9_]*",
    filename="[^/]+",
    shard=r"\d{4}",
    name=r"[A-Za-z0-9][A-Za-z0-9_.-]*",


SOURCES = config["sources"]


def file_name(url):
    """The name a download is stored under: the URL's last path component."""
    name = os.path.basename(urlparse(url).path)
    if not name:
        raise ValueError(f"config: URL {url!r} has no file name to store it under")
    return name


def resolve_url(url):
    """A relative ``file:`` URL of the config, resolved against the workflow's directory
    (like a relative ``path``), so a config works from any --directory."""
    if url.startswith("file:") and not url.startswith("file:/"):
        return Path(workflow.basedir, url[len("file:") :]).resolve().as_uri()
    return url


def resolved(spec):
    """A download's config entry with its URLs (url, checksums_url) resolved."""
    return {k: resolve_url(v) if k.endswith("url") else v for k, v in spec.items()}


def get_file_spec(source, filename):
    """The config entry of one download, its URLs resolved."""
    for spec in SOURCES[source]["files"]:
        if file_name(spec["url"]) == filename:
            return resolved(spec)
    raise ValueError(f"config: source {source!r} lists no file named {filename!r}")


def download_paths(source):
    return [
        f"resources/download/{source}/{file_name(spec['url'])}"
        for spec in SOURCES[source].get("files", [])
    ]


def get_extract_input(source):
    """Downloaded files of the source, or its local path (relative: to the workflow) read in place."""
    if "path" in SOURCES[source]:
        return [os.path.join(workflow.basedir, SOURCES[source]["path"])]
    return download_paths(source)


def shard_ids(source):
    return [f"{i:04d}" for i in range(SOURCES[source]["shards"])]


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


def udpipe_shard_outputs():
    """The aligned corpora of one shard (and its CoNLL-U where configured), and stats."""
    outputs = {kind: f"results/udpipe/{{source}}/{{shard}}.{kind}.txt.gz" for kind in UDPIPE_KINDS}
    if config["udpipe"]["conllu"]:
        outputs["conllu"] = "results/udpipe/{source}/{shard}.conllu.gz"
    outputs["stats"] = "results/udpipe/{source}/{shard}.stats.json"
    return outputs


def udpipe_model_path(lang):
    """Where the UDPipe model of a language is: downloaded, local, or trained."""
    spec = config["udpipe"]["models"][lang]
    if "url" in spec:
        return f"resources/udpipe/{file_name(spec['url'])}"
    if "path" in spec:
        return os.path.join(workflow.basedir, spec["path"])
    return f"results/udpipe/models/{spec['train']}.udpipe"


def udpipe_models():
    return {lang: udpipe_model_path(lang) for lang in config["languages"]}


def get_udpipe_model_spec(filename):
    """The config entry of a downloaded UDPipe model, by its file name."""
    for spec in config["udpipe"]["models"].values():
        if "url" in spec and file_name(spec["url"]) == filename:
            return resolved(spec)
    raise ValueError(f"config: udpipe.models has no URL ending in {filename!r}")


def get_treebank(name, part):
    """Files of a udpipe.train entry's treebank (train or heldout), relative to the workflow."""
    return [os.path.join(workflow.basedir, p) for p in config["udpipe"]["train"][name].get(part, [])]


def check_udpipe_models():
    """Every language needs a model, and a trained one must be declared."""
    models, training = config["udpipe"]["models"], config["udpipe"]["train"]
    missing = [lang for lang in config["languages"] if lang not in models]
    if missing:
        raise ValueError(f"config: udpipe.models has no model for languages {missing} (languages: {config['languages']})")
    for lang, spec in models.items():
        if "train" in spec and spec["train"] not in training:
            raise ValueError(
                f"config: udpipe.models.{lang} is trained as {spec['train']!r}, which udpipe.train does not define"
            )


def extract_outputs(source):
    return shard_paths("extract", source) + [
        f"results/extract/{source}/stats.json",
        f"results/extract/{source}/rejected.jsonl.gz",
    ]


def check_unique_file_names():
    """Two files of one source with the same name would overwrite each other."""
    for source, spec in SOURCES.items():
        names = [file_name(f["url"]) for f in spec.get("files", [])]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(
                f"config: sources.{source}.files has several URLs ending in {dupes}; "
                "each file of a source needs its own name"
            )


check_unique_file_names()
check_udpipe_models()


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


# The config sections that make the corpus: what the corpus tables come from.
CORPUS_SECTIONS = ["sources", "languages", "clean", "langid", "dedup", "udpipe"]


def config_hash(*sections):
    """12 hex digits of the config's given top-level sections (all of it when none are
    given): the footer of a table names the settings it came from, and a table
    reruns only when those change."""
    part = {k: config.get(k) for k in sections} if sections else config
    return hashlib.sha256(json.dumps(part, sort_keys=True).encode()).hexdigest()[:12]
