# Helpers shared by all rules: where each stage's files live, and input functions.
import os
from urllib.parse import urlparse


wildcard_constraints:
    source="[A-Za-z][A-Za-z0-9_]*",
    filename="[^/]+",


SOURCES = config["sources"]


def file_name(url):
    """The name a download is stored under: the URL's last path component."""
    name = os.path.basename(urlparse(url).path)
    if not name:
        raise ValueError(f"config: URL {url!r} has no file name to store it under")
    return name


def get_file_spec(source, filename):
    for spec in SOURCES[source]["files"]:
        if file_name(spec["url"]) == filename:
            return spec
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


def shard_paths(stage, source):
    n = SOURCES[source]["shards"]
    return [f"results/{stage}/{source}/{i:04d}.jsonl.gz" for i in range(n)]


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
