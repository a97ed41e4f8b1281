"""The config schema, the full config's plan, and errors for invalid configs."""

import tomllib

import pytest
import yaml
from snakemake.utils import validate

from conftest import REPO, job_counts, snakemake

SCHEMA = str(REPO / "schemas" / "config.schema.yaml")


def test_full_config_plans_every_stage_for_every_shard():
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    proc = snakemake("-n", "--quiet", "rules")
    counts = job_counts(proc.stdout)
    n_files = sum(len(s["files"]) for s in config["sources"].values())
    n_shards = sum(s["shards"] for s in config["sources"].values())
    assert counts["download_file"] == n_files == 14
    for source in config["sources"]:
        assert counts[f"extract_{source}"] == 1
    for rule in ("clean_shard", "langid_shard", "dedup_signatures", "dedup_shard"):
        assert counts[rule] == n_shards == 117
    for rule in ("dedup_find", "funnel_table", "language_table", "corpus_statistics", "all"):
        assert counts[rule] == 1
    assert counts["udpipe_shard"] == n_shards
    assert counts["download_udpipe_model"] == 2  # the official Bokmål and Nynorsk models
    assert counts["count_words"] == 2 * n_shards  # tokens and lemmas
    assert counts["train_wordpiece"] == len(config["vocab"]["wordpiece"]) == 1
    assert counts["elmo_vocab"] == len(config["vocab"]["elmo"]) == 3
    assert counts["vocab_table"] == 1


def test_schema_fills_documented_defaults():
    config = {"sources": {"x": {"kind": "text", "path": "somewhere"}}}
    validate(config, SCHEMA)
    assert config["languages"] == ["nb", "nn"]
    assert config["download"] == {"mirror": None, "retries": 5, "timeout": 60}
    assert config["sources"]["x"]["shards"] == 1
    assert config["sources"]["x"]["lang"] is None


@pytest.mark.parametrize(
    "source, key, fragment",
    [
        ({"kind": "pdf", "path": "p"}, "kind", "is not one of"),
        ({"kind": "text", "path": "p", "shards": 0}, "shards", "less than the minimum"),
        ({"kind": "oscar", "files": [{"url": "ftp://x/y.gz"}]}, "url", "does not match"),
        ({"kind": "oscar", "files": [{"url": "http://x/y.gz", "md5": "abc"}]}, "md5", "does not match"),
        ({"kind": "oscar"}, "files", "is not valid under any of the given schemas"),
        ({"kind": "text", "path": "p", "shard": 2}, "shard", "Additional properties"),
    ],
)
def test_invalid_config_fails_before_any_job_naming_the_key(tmp_path, source, key, fragment):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"sources": {"mine": source}}))
    proc = snakemake("-n", "--configfile", str(bad), "--directory", str(tmp_path), check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert fragment in out
    assert key in out and "mine" in out
    assert not (tmp_path / "results").exists() and not (tmp_path / "resources").exists()


def test_duplicate_file_names_in_a_source_are_refused(tmp_path):
    bad = tmp_path / "bad.yaml"
    files = [{"url": "https://a.org/x/part.gz"}, {"url": "https://b.org/y/part.gz"}]
    bad.write_text(yaml.safe_dump({"sources": {"mine": {"kind": "oscar", "files": files}}}))
    proc = snakemake("-n", "--configfile", str(bad), "--directory", str(tmp_path), check=False)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "sources.mine.files" in out and "part.gz" in out


@pytest.mark.parametrize(
    "udpipe, fragment",
    [
        ({"models": {"nb": {"path": "nb.udpipe"}}}, "udpipe.models has no model for languages ['nn']"),
        ({"models": {"nb": {"train": "mine"}, "nn": {"train": "mine"}}}, "udpipe.models.nb is trained as 'mine'"),
        ({"models": {"nb": {"path": "a", "url": "http://x/y.udpipe"}}}, "is not valid under any of the given schemas"),
        ({"train": {"mine": {"treebank": [], "format": "conllu"}}}, "should be non-empty"),
    ],
)
def test_invalid_udpipe_config_fails_before_any_job(tmp_path, udpipe, fragment):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"udpipe": udpipe, "sources": {"mine": {"kind": "text", "path": "p"}}}))
    proc = snakemake("-n", "--configfile", str(bad), "--directory", str(tmp_path), check=False)
    assert proc.returncode != 0
    assert fragment in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()


def pins(requirements):
    return dict(r.split("==") for r in requirements if "==" in r)


def test_conda_envs_pin_the_same_versions_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pinned = {k.lower(): v for k, v in pins(project["dependencies"]).items()}
    for env_file in sorted((REPO / "envs").glob("*.yaml")):
        env = yaml.safe_load(env_file.read_text())
        pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
        for name, version in pins(pip).items():
            assert pinned.get(name.lower()) == version, f"{env_file.name}: {name}=={version}"
