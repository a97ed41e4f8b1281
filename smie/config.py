"""The one config layer: the validated config in, per rule the settings that determine
its outputs out.

The Snakefile loads the config through :func:`load` (schema, defaults, relative paths,
cross-key checks) and every rule takes its output-determining params from a method of
:class:`Config`: plain data, so that Snakemake's params trigger reruns exactly the jobs
a config edit affects. What changes how a job runs but not what it makes (retries,
timeouts, mirrors, audit files, logging and checkpoint intervals, threads, resources)
comes from the ``runtime`` methods instead, which the rules pass in a way Snakemake does
not compare (see ``runtime`` in rules/common.smk). Like datatrove's one MinhashConfig
for every dedup step, a setting is read here once and shared by every rule that needs
it; scripts never see the config. Torch-free and quick to import: the Snakefile and
every cluster job parse it.
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse
from urllib.request import url2pathname

import jsonschema
import yaml

from smie import boilerplate

SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "config.schema.yaml"
SPLITS = ("train", "dev", "test")

# A model's settings that change how its pretraining runs, never what it makes
# (README, "Rerun contract").
RUNTIME_KEYS = {
    "bert": ("checkpoint_every", "log_every", "peak_tflops", "resources", "tensorboard"),
    "elmo": ("checkpoint_every", "log_every", "eval_every", "resources", "tensorboard"),
}

# Values that name files; a relative one resolves against the directory of the config
# file it is written in (``*`` is any key or list index).
FILE_KEYS = [
    ("download", "mirror"),
    ("sources", "*", "path"),
    ("sources", "*", "files", "*", "url"),
    ("sources", "*", "files", "*", "checksums_url"),
    ("udpipe", "models", "*", "url"),
    ("udpipe", "models", "*", "checksums_url"),
    ("udpipe", "models", "*", "path"),
    ("udpipe", "train", "*", "treebank", "*"),
    ("udpipe", "train", "*", "heldout", "*"),
    *[("langid", "discriminator", "train", "*", "*", key) for key in ("url", "checksums_url")],
    *[("evaluate", "tasks", "*", split, key) for split in SPLITS for key in ("url", "checksums_url")],
    ("evaluate", "baselines", "*", "path"),
]


# What the schema's patterns ask for, in words.
PATTERN_HINTS = {
    "^[a-z]{2,3}$": "a language code such as nb",
    "^([a-z]{2,3}|shared)$": "a language code such as nb, or shared",
    "^(https?|file):": "an http(s):// or file: URL",
    "^[0-9a-f]{32}$": "32 hex digits",
    "^[0-9a-f]{40}$": "40 hex digits",
    "^[0-9a-f]{64}$": "64 hex digits",
}


class ConfigError(ValueError):
    """An invalid config: one line naming the key and what to do."""


# ------------------------------------------------------------------ loading


def load(config: dict, files: list, workflow_dir: str | Path) -> "Config":
    """The config as Snakemake merged it from ``files`` (and --config), validated, with
    defaults filled in, relative paths resolved and every cross-key check passed."""
    raw = [(Path(f).resolve(), read_yaml(f)) for f in files]
    config = copy.deepcopy(dict(config))
    schema = _schema()
    for family in ("bert", "elmo"):  # the built-in sizes stay beside a config's own
        block = config.get(family)
        if isinstance(block, dict) and isinstance(block.get("sizes"), dict):
            sizes = copy.deepcopy(schema["properties"][family]["properties"]["sizes"]["default"])
            for name, size in block["sizes"].items():  # a built-in name: the keys given change
                sizes[name] = {**sizes.get(name, {}), **size} if isinstance(size, dict) else size
            block["sizes"] = sizes
    validate(config, schema)

    def origin(keys) -> Path:
        """The directory of the last file that sets a key (given with --config: the workflow's)."""
        return next((path.parent for path, d in reversed(raw) if _has(d, keys)), Path(workflow_dir))

    _resolve_paths(config, origin)
    cfg = Config(config)
    cfg.check()
    return cfg


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *anchor`, overridden by the keys beside it
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                mark = key_node.start_mark
                raise ConfigError(f"{mark.name}:{mark.line + 1}: key {key!r} is given twice (the first would be ignored)")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path) -> dict:
    """A config file, read strictly: duplicate keys and syntax errors name the file and line."""
    with open(path, encoding="utf-8") as f:
        try:
            return yaml.load(f, Loader=_StrictLoader) or {}
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark
            raise ConfigError(f"{path}:{mark.line + 1}: {error.problem}") from None


def _resolve_paths(config: dict, origin) -> None:
    for keys in list(_find(config, FILE_KEYS)):
        _set(config, keys, resolve(_get(config, keys), origin(keys)))


def with_absolute_paths(config: dict, base: Path) -> dict:
    """A copy of ``config`` with its relative paths resolved against ``base``, as
    :func:`load` resolves them: a config to write elsewhere that still means the same."""
    config = copy.deepcopy(config)
    _resolve_paths(config, lambda keys: Path(base))
    return config


def resolve(value: str | None, base: Path) -> str | None:
    """A relative path or ``file:`` URL against ``base``; absolute ones and http(s) as they are."""
    if value is None or value.startswith(("http://", "https://", "file:/")):
        return value
    if value.startswith("file:"):
        return (base / value[len("file:"):]).resolve().as_uri()
    return str((base / value).resolve())


def _find(d: Any, patterns, prefix=()) -> Iterator[tuple]:
    """Every key path of ``d`` matching one of ``patterns``."""
    for pattern in patterns:
        yield from _match(d, pattern, prefix)


def _match(d, pattern, prefix):
    if not pattern:
        yield prefix
        return
    head, rest = pattern[0], pattern[1:]
    items = d.items() if isinstance(d, dict) else enumerate(d) if isinstance(d, list) else ()
    for key, value in items:
        if head == "*" or head == key:
            yield from _match(value, rest, prefix + (key,))


def _has(d, keys) -> bool:
    for key in keys:
        if isinstance(d, dict) and key in d or isinstance(d, list) and isinstance(key, int) and key < len(d):
            d = d[key]
        else:
            return False
    return True


def _get(d, keys):
    for key in keys:
        d = d[key]
    return d


def _set(d, keys, value):
    _get(d, keys[:-1])[keys[-1]] = value


def dotted(keys) -> str:
    """``("bert", "models", "x", "phases", 0, "lr")`` as ``bert.models.x.phases[0].lr``."""
    out = ""
    for key in keys:
        out += f"[{key}]" if isinstance(key, int) else f".{key}" if out else str(key)
    return out or "(top level)"


# ------------------------------------------------------------------ the schema


@functools.lru_cache(maxsize=1)
def _schema() -> dict:
    return yaml.safe_load(SCHEMA.read_text())


def _defaulting_validator():
    """A 2020-12 validator that fills in each property's default before checking it."""
    base = jsonschema.Draft202012Validator
    check_properties = base.VALIDATORS["properties"]

    def properties(validator, props, instance, schema):
        if isinstance(instance, dict):
            for name, sub in props.items():
                if "default" in sub and name not in instance:
                    instance[name] = copy.deepcopy(sub["default"])
        yield from check_properties(validator, props, instance, schema)

    return jsonschema.validators.extend(base, {"properties": properties})


def validate(config: dict, schema: dict | None = None) -> None:
    """Check ``config`` against the schema (filling in defaults); the first error as one line."""
    schema = schema or _schema()
    validator = _defaulting_validator()(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is not None:
        raise ConfigError(_explain(error, schema))


def _explain(error, schema) -> str:
    """One actionable line for a schema error: the key's path and what to do."""
    path, value, rule = list(error.absolute_path), error.instance, error.validator
    where = f"config: {dotted(path)}"
    if rule == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(value) - set(known))
        if known and unknown:
            close = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f"did you mean {close[0]}?" if close else f"known keys: {', '.join(known)}"
            return f"config: {dotted(path + [unknown[0]])}: unknown key ({hint})"
    if rule == "required":
        missing = error.message.split("'")[1]
        return f"config: {dotted(path + [missing])}: required key missing"
    if rule == "oneOf":
        return f"{where}: give exactly one of {' or '.join(_alternatives(error.validator_value, schema))}"
    if rule == "enum":
        return f"{where}: {value!r} is not one of {', '.join(map(str, error.validator_value))}"
    if rule == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        # a mapping by name (e.g. clean.boilerplate_patterns, once a list): say what its keys are
        keys = PATTERN_HINTS.get(error.schema.get("propertyNames", {}).get("pattern"))
        return f"{where}: expected {' or '.join(wanted)}{f' keyed by {keys}' if keys else ''}, got {value!r}"
    if rule in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {"minimum": "at least", "exclusiveMinimum": "above", "maximum": "at most", "exclusiveMaximum": "below"}
        return f"{where}: must be {words[rule]} {error.validator_value}, got {value!r}"
    if rule == "pattern":
        hint = PATTERN_HINTS.get(error.validator_value)
        return f"{where}: {value!r} does not match {error.validator_value}" + (f" ({hint})" if hint else "")
    if rule == "propertyNames":
        return f"{where}: {value!r} is not a valid name ({error.message})"
    if rule in ("minItems", "minProperties"):
        return f"{where}: needs at least {error.validator_value} item(s)"
    return f"{where}: {error.message}"


def _alternatives(subschemas, schema) -> list[str]:
    """What each branch of a oneOf requires, as ``{url: ...}``."""
    out = []
    for sub in subschemas:
        if "$ref" in sub:
            sub = schema["$defs"][sub["$ref"].rsplit("/", 1)[1]]
        out.append("{" + ", ".join(f"{k}: ..." for k in sub.get("required", [])) + "}")
    return out


# ------------------------------------------------------------------ the settings of each rule


def file_name(url: str) -> str:
    """The name a download is stored under: the URL's last path component."""
    name = os.path.basename(urlparse(url).path)
    if not name:
        raise ConfigError(f"config: URL {url!r} has no file name to store it under")
    return name


def canonical(value):
    """Dicts with sorted keys, all the way down: a reordered YAML mapping is no edit."""
    if isinstance(value, dict):
        return {k: canonical(value[k]) for k in sorted(value)}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


def config_hash(settings) -> str:
    """12 hex digits of some settings: a table's footer names the settings it came from."""
    return hashlib.sha256(json.dumps(canonical(settings), sort_keys=True).encode()).hexdigest()[:12]


def _without(d: dict, keys) -> dict:
    return canonical({k: v for k, v in d.items() if k not in keys})


class Config:
    """The validated config, read rule by rule. Every method returns plain, canonical
    data; what a method returns is what its rule's outputs depend on, nothing more."""

    def __init__(self, config: dict):
        self.raw = config
        self.sources = config["sources"]
        self.languages = config["languages"]
        self.vocab = config["vocab"]
        self.bert = config["bert"]
        self.elmo = config["elmo"]
        self.evaluation = config["evaluate"]

    # --- download and extract

    def file_spec(self, source: str, filename: str) -> dict:
        """A source's download, a file or a dump's index: its URL and checksum (download_file)."""
        for spec in self.sources[source].get("files", []):
            for download in (spec, spec.get("index")):
                if download and file_name(download["url"]) == filename:
                    return canonical(_without(download, ("index", "parts")))
        raise ConfigError(f"config: sources.{source} lists no file named {filename!r}")

    def download_runtime(self, source: str | None = None) -> dict:
        """How files are fetched (with a source's token, if it has one); the bytes are
        the same whichever way."""
        return {**self.raw["download"], "auth_env": self.sources[source]["auth_env"] if source else None}

    def extract(self, source: str) -> dict:
        """The reader of a source, its language hint, its largest record and the options
        only its kind of reader takes (extract_<source>): ``lists`` for Wikipedia; the
        other kinds get no ``reader_options`` at all, so that their params, and their
        jobs, stay as they were."""
        spec = self.sources[source]
        settings = {"source": source, "kind": spec["kind"], "lang": spec["lang"],
                    "max_document_bytes": int(spec["max_document_mb"] * 2**20)}
        if spec["kind"] == "wikipedia":
            settings["reader_options"] = {"lists": spec["lists"]}
        return settings

    def extract_parts(self, source: str) -> list[str]:
        """The extract jobs of a source, ``<file>-<range>``: one per file, or per range of
        a multistream dump's streams."""
        files = self.sources[source].get("files") or [{}]  # a path: one part
        return [f"{i:03d}-{k:03d}" for i, spec in enumerate(files) for k in range(spec.get("parts", 1))]

    def extract_part(self, source: str, part: str) -> dict:
        """One part's settings (extract_<source>_part): the source's, and which range of
        its file's streams (of how many) when the file is read in several parts."""
        i, k = (int(n) for n in part.split("-"))
        parts = self.sources[source]["files"][i].get("parts", 1)
        return {**self.extract(source), "streams": [k, parts]} if parts > 1 else self.extract(source)

    def shards(self, source: str) -> int:
        return self.sources[source]["shards"]

    # --- the filtering stages

    def clean(self) -> dict:
        """clean_shard: its thresholds, and the boilerplate patterns of the chosen
        languages resolved into the plain list smie.clean.Settings takes. The params
        hold the patterns themselves, so an edit (of languages, boilerplate_languages or
        boilerplate_patterns) reruns clean exactly when it changes them."""
        d = self.raw["clean"]
        resolved = boilerplate.patterns(self.boilerplate_languages(), d["boilerplate_patterns"])
        return canonical({**_without(d, ("boilerplate_languages",)), "boilerplate_patterns": resolved})

    def boilerplate_languages(self) -> list[str]:
        """Whose boilerplate patterns clean applies: ``clean.boilerplate_languages``, or
        when null the corpus's languages and English (smie.boilerplate.default_languages)."""
        chosen = self.raw["clean"]["boilerplate_languages"]
        return sorted(set(chosen if chosen is not None else boilerplate.default_languages(self.languages)))

    def langid(self) -> dict:
        """langid's settings and the languages it keeps (min_paragraph_words only where
        paragraphs are identified, confusable only with a second opinion). The
        discriminator's training is not here: its model file is an input instead."""
        d = self.raw["langid"]
        unused = ["discriminator"]
        if d["level"] == "document":
            unused.append("min_paragraph_words")
        if d["second_opinion"] is None:
            unused.append("confusable")
        return canonical({**_without(d, unused), "keep": self.languages})

    def uses_discriminator(self) -> bool:
        return self.raw["langid"]["second_opinion"] == "discriminator"

    def discriminator_files(self) -> dict[str, list[list[str]]]:
        """Per language, its labelled ``[path, format]`` inputs: a download, a source's
        cleaned shards, or the treebank files of a UDPipe training."""
        files = {}
        for lang, inputs in self.raw["langid"]["discriminator"]["train"].items():
            files[lang] = []
            for spec in inputs:
                if "source" in spec:
                    shards = range(self.shards(spec["source"]))
                    files[lang] += [[f"results/clean/{spec['source']}/{k:04d}.jsonl.gz", "documents"] for k in shards]
                elif "treebank" in spec:
                    training = self.raw["udpipe"]["train"][spec["treebank"]]
                    files[lang] += [[path, training["format"]] for path in training["treebank"]]
                else:
                    name = file_name(spec["url"])
                    files[lang].append([f"resources/langid/{lang}/{name}", spec.get("format") or _text_format(name)])
        return canonical(files)

    def discriminator(self) -> dict:
        """train_discriminator: its inputs by language, how it trains, the kept languages."""
        d = self.raw["langid"]["discriminator"]
        return canonical({"files": self.discriminator_files(), "settings": _without(d, ("train",)),
                          "keep": self.languages})

    def discriminator_file_spec(self, lang: str, filename: str) -> dict:
        """A labelled file's download (download_langid_file)."""
        for spec in self.raw["langid"]["discriminator"]["train"].get(lang, []):
            if "url" in spec and file_name(spec["url"]) == filename:
                return canonical(_without(spec, ("format",)))
        raise ConfigError(f"config: langid.discriminator.train.{lang} has no file named {filename!r}")

    def dedup_signatures(self) -> dict:
        """What a signature is made of; without near duplicates, no MinHash settings."""
        d = self.raw["dedup"]
        keys = ("shingle", "num_perm", "threshold", "bands", "rows", "seed") if d["near"] else ()
        return canonical({"near": d["near"], **{k: d[k] for k in keys}})

    def dedup_find(self) -> dict:
        """The signatures' settings, and which copy of a duplicate is kept."""
        return {**self.dedup_signatures(), "source_priority": self.raw["dedup"]["source_priority"]}

    def audit(self) -> bool:
        """Write the dropped documents: a side output, the kept ones are the same."""
        return self.raw["audit"]

    # --- udpipe

    def udpipe_model(self, lang: str) -> dict:
        """How a language's model is made: a download, a file or a training."""
        return canonical(self.raw["udpipe"]["models"][lang])

    def udpipe_model_spec(self, filename: str) -> dict:
        """The download of a UDPipe model, by its file name (download_udpipe_model)."""
        for spec in self.raw["udpipe"]["models"].values():
            if "url" in spec and file_name(spec["url"]) == filename:
                return canonical(spec)
        raise ConfigError(f"config: udpipe.models has no URL ending in {filename!r}")

    def udpipe_training(self, name: str) -> dict:
        """train_udpipe: the options; the treebank files are its inputs."""
        return _without(self.raw["udpipe"]["train"][name], ("treebank", "heldout"))

    def treebank(self, name: str, part: str) -> list[str]:
        return self.raw["udpipe"]["train"][name].get(part, [])

    def udpipe_threads(self) -> int:
        return self.raw["udpipe"]["threads"]

    def udpipe_conllu(self) -> bool:
        return self.raw["udpipe"]["conllu"]

    # --- vocabularies

    def wordpiece(self, name: str) -> dict:
        """train_wordpiece: the vocabulary's settings and the held-out share."""
        return canonical({**self.vocab["wordpiece"][name], "heldout": self.vocab["heldout"]})

    def elmo_vocab(self, name: str) -> dict:
        return canonical(self.vocab["elmo"][name])

    # --- BERT

    def bert_data(self) -> dict:
        return canonical(self.bert["data"])

    def bert_phases(self, model: str) -> int:
        return len(self.bert["models"][model]["phases"])

    def bert_phase(self, model: str, phase: int) -> dict:
        """pretrain_bert, one phase (1-based): the model's settings with this phase's only
        (a later phase's edit leaves the earlier ones), and the architecture."""
        m = self.bert["models"][model]
        if not 1 <= int(phase) <= len(m["phases"]):
            raise ConfigError(f"config: bert.models.{model} has {len(m['phases'])} phases, not phase {phase}")
        return canonical({"model": model, "settings": _without(m, RUNTIME_KEYS["bert"] + ("phases",)),
                          "phase": int(phase), "phase_settings": m["phases"][int(phase) - 1],
                          "size": self.bert_size(m["size"])})

    def bert_size(self, name: str) -> dict:
        return canonical(self.bert["sizes"][name])

    def bert_export(self, model: str) -> str:
        """The exported directory of a model's last phase: the model."""
        return f"results/bert/{model}/phase{self.bert_phases(model)}"

    # --- ELMo

    def elmo_model(self, model: str) -> dict:
        """pretrain_elmo: the model's settings and its architecture."""
        m = self.elmo["models"][model]
        return canonical({"model": model, "settings": _without(m, RUNTIME_KEYS["elmo"]), "size": self.elmo_size(m["size"])})

    def elmo_size(self, name: str) -> dict:
        return canonical(self.elmo["sizes"][name])

    def elmo_corpus(self, model: str) -> str:
        """The udpipe corpus (tokens or lemmas) of a model: the one its vocabulary counts."""
        return self.vocab["elmo"][self.elmo["models"][model]["vocab"]]["corpus"]

    # --- both pretraining families

    def model_runtime(self, family: str, model: str) -> dict:
        """How a model's pretraining runs (intervals, resources): not what it makes."""
        m = self.raw[family]["models"][model]
        return canonical({k: v for k, v in m.items() if k in RUNTIME_KEYS[family]})

    def model_resources(self, family: str, model: str) -> dict:
        return self.raw[family]["models"][model]["resources"]

    # --- evaluation

    def evaluated_models(self) -> dict[str, tuple[str, str]]:
        """Name -> (kind, directory) of every column of the results table."""
        models = {name: ("bert", self.bert_export(name)) for name in self.bert["models"]}
        models.update((name, ("elmo", f"results/elmo/{name}")) for name in self.elmo["models"])
        models.update((name, (b["kind"], b["path"])) for name, b in self.evaluation["baselines"].items())
        return models

    def task(self, task: str) -> dict:
        """A task's kind and labels; its files are evaluate_model's inputs."""
        return _without(self.evaluation["tasks"][task], SPLITS)

    def eval_file(self, task: str, split: str) -> dict:
        return canonical(self.evaluation["tasks"][task][split])

    def eval_file_spec(self, task: str, filename: str) -> dict:
        for split in SPLITS:
            if file_name(self.evaluation["tasks"][task][split]["url"]) == filename:
                return self.eval_file(task, split)
        raise ConfigError(f"config: evaluate.tasks.{task} has no file named {filename!r}")

    def evaluation_settings(self, kind: str) -> dict:
        """How a model of ``kind`` (bert, elmo) is adapted to a task."""
        return canonical(self.evaluation[kind])

    def evaluate(self, task: str, model: str) -> dict:
        """evaluate_model: the task, the model's kind and directory, the adaptation."""
        kind, directory = self.evaluated_models()[model]
        return {"task": self.task(task), "kind": kind, "model_dir": directory,
                "settings": self.evaluation_settings(kind)}

    def seeds(self) -> list[int]:
        return self.evaluation["seeds"]

    def eval_resources(self) -> dict:
        return self.evaluation["resources"]

    # --- the cards

    def cards(self) -> dict:
        """What every card says beside its model's facts: languages, licences, texts and
        the sources (their licences and Hub ids); an edit reruns the cards alone."""
        sources = {s: {"kind": spec["kind"], "license": spec["license"], "dataset": spec["dataset"]}
                   for s, spec in self.sources.items()}
        return canonical({**self.raw["cards"], "languages": self.languages, "sources": sources})

    def bert_card(self, model: str, phase: int) -> dict:
        """bert_card: the phases up to ``phase`` and the vocabulary, besides :meth:`cards`."""
        m = self.bert["models"][model]
        return {"model": model, "phases": [self.bert_phase(model, p) for p in range(1, int(phase) + 1)],
                "vocab": self.wordpiece(m["vocab"]), "final": int(phase) == self.bert_phases(model),
                "cards": self.cards()}

    def elmo_card(self, model: str) -> dict:
        """elmo_card: the model's settings and vocabulary, besides :meth:`cards`."""
        m = self.elmo["models"][model]
        return {"model": model, "settings": self.elmo_model(model), "vocab": self.elmo_vocab(m["vocab"]),
                "cards": self.cards()}

    # --- what each table came from

    def lineage(self, stage: str) -> dict:
        """The settings of every rule from the downloads up to ``stage`` (languages,
        dedup, udpipe, vocab, results; cards: every output's): a table's provenance, and
        nothing else."""
        order = ["languages", "dedup", "udpipe", "vocab", "results", "cards"]
        upto = order[: order.index(stage) + 1]
        out = {
            "sources": {s: {**self.extract(s), "shards": self.shards(s), "path": spec.get("path"),
                            # an index changes no output; parts (same bytes) rerun extract all the same
                            "files": [canonical(_without(f, ("index",))) for f in spec.get("files", [])]}
                        for s, spec in self.sources.items()},
            "clean": self.clean(),
            "langid": self.langid(),
        }
        if self.uses_discriminator():  # where its data came from, and how it trained
            train = canonical(self.raw["langid"]["discriminator"]["train"])
            out["discriminator"] = {**self.discriminator(), "train": train}
        if "dedup" in upto:
            out["dedup"] = self.dedup_find()
        if "udpipe" in upto:
            out["udpipe"] = {lang: self.udpipe_model(lang) for lang in self.languages}
            out["udpipe_train"] = {n: self.udpipe_training(n) | {"treebank": self.treebank(n, "treebank"),
                                                                 "heldout": self.treebank(n, "heldout")}
                                   for n in self.raw["udpipe"]["train"]}
        if "vocab" in upto:
            out["wordpiece"] = {n: self.wordpiece(n) for n in self.vocab["wordpiece"]}
            out["elmo_vocab"] = {n: self.elmo_vocab(n) for n in self.vocab["elmo"]}
        if "results" in upto:
            out["bert_data"] = self.bert_data()
            out["bert"] = {m: [self.bert_phase(m, p) for p in range(1, self.bert_phases(m) + 1)]
                           for m in self.bert["models"]}
            out["elmo"] = {m: self.elmo_model(m) for m in self.elmo["models"]}
            out["evaluate"] = {"seeds": self.seeds(), "models": self.evaluated_models(),
                               "bert": self.evaluation_settings("bert"), "elmo": self.evaluation_settings("elmo"),
                               "tasks": canonical(self.evaluation["tasks"])}
        if "cards" in upto:
            out["cards"] = self.cards()
        return out

    def table_hash(self, stage: str) -> str:
        return config_hash(self.lineage(stage))

    # --- cross-key checks: each raises one line naming the key

    def check(self) -> None:
        for check in (self.check_sources, self.check_clean, self.check_langid, self.check_udpipe, self.check_bert,
                      self.check_elmo, self.check_evaluate):
            check()

    def check_clean(self) -> None:
        for language, patterns in self.raw["clean"]["boilerplate_patterns"].items():
            for i, pattern in enumerate(patterns):
                where = f"config: clean.boilerplate_patterns.{language}[{i}]: {pattern!r}"
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise ConfigError(f"{where} is not a regular expression ({error})") from None
                if boilerplate.has_capitals(pattern):
                    raise ConfigError(f"{where} has capitals, but paragraphs are lower-cased before the search: "
                                      "write it in lower case")

    def check_langid(self) -> None:
        train = self.raw["langid"]["discriminator"]["train"]
        for lang, inputs in train.items():
            _one_name_each(f"langid.discriminator.train.{lang}", [s["url"] for s in inputs if "url" in s], "a language")
            for i, spec in enumerate(inputs):
                if "source" in spec:
                    _must_name(f"config: langid.discriminator.train.{lang}[{i}].source", spec["source"],
                               self.sources, "sources")
                if "treebank" in spec:
                    _must_name(f"config: langid.discriminator.train.{lang}[{i}].treebank", spec["treebank"],
                               self.raw["udpipe"]["train"], "udpipe.train")
        if not self.uses_discriminator():
            return
        files = self.discriminator_files()
        missing = [lang for lang in self.languages if lang not in files]
        if missing or len(files) < 2:
            lacking = ", ".join(missing) or "a second language"
            raise ConfigError(
                f"config: langid.discriminator.train: no labelled text for {lacking}; "
                "give files or sources per language (and other languages to tell them from), "
                "or set langid.second_opinion: null")

    def check_sources(self) -> None:
        for source, spec in self.sources.items():
            _one_name_each(f"sources.{source}.files", [f["url"] for f in spec.get("files", [])], "a source")
            for i, f in enumerate(spec.get("files", [])):
                if f["parts"] > 1 and not (spec["kind"] == "wikipedia" and "index" in f):
                    raise ConfigError(f"config: sources.{source}.files[{i}].parts: {f['parts']} parts need a "
                                      "Wikipedia multistream dump and its index (sources.<s>.files[].index)")
        unknown = [s for s in self.raw["dedup"]["source_priority"] if s not in self.sources]
        if unknown:
            raise ConfigError(f"config: dedup.source_priority: {', '.join(unknown)} is not a source "
                              f"(sources: {', '.join(self.sources)})")

    def check_udpipe(self) -> None:
        models, training = self.raw["udpipe"]["models"], self.raw["udpipe"]["train"]
        missing = [lang for lang in self.languages if lang not in models]
        if missing:
            raise ConfigError(f"config: udpipe.models: no model for {', '.join(missing)} "
                              f"(every language of `languages` needs one)")
        for lang, spec in models.items():
            if "train" in spec and spec["train"] not in training:
                raise ConfigError(f"config: udpipe.models.{lang}.train: {spec['train']!r} is not in udpipe.train "
                                  f"({', '.join(training) or 'none defined'})")

    def check_bert(self) -> None:
        for name, size in self.bert["sizes"].items():
            if size["hidden"] % size["heads"]:
                raise ConfigError(f"config: bert.sizes.{name}.heads: {size['heads']} heads do not divide "
                                  f"hidden ({size['hidden']})")
        for name, m in self.bert["models"].items():
            where = f"config: bert.models.{name}"
            _must_name(f"{where}.size", m["size"], self.bert["sizes"], "bert.sizes")
            _must_name(f"{where}.vocab", m["vocab"], self.vocab["wordpiece"], "vocab.wordpiece")
            positions = self.bert_size(m["size"])["max_positions"]
            gpus = max(1, m["resources"]["gpu"])
            for i, phase in enumerate(m["phases"]):
                if phase["seq_length"] > positions:
                    raise ConfigError(f"{where}.phases[{i}].seq_length: {phase['seq_length']} is longer than "
                                      f"the size's max_positions ({positions})")
                if phase["batch_size"] % (phase["micro_batch"] * gpus):
                    raise ConfigError(f"{where}.phases[{i}].batch_size: {phase['batch_size']} is not a multiple of "
                                      f"micro_batch ({phase['micro_batch']}) x {gpus} GPU(s)")

    def check_elmo(self) -> None:
        for name, size in self.elmo["sizes"].items():
            filters, projection, max_chars = size["filters"], size["projection_dim"], size["max_chars"]
            if sum(n for _, n in filters) <= projection:  # bilm-tf's layout projects the filters down
                raise ConfigError(f"config: elmo.sizes.{name}.filters: they add up to {sum(n for _, n in filters)}, "
                                  f"which must exceed projection_dim ({projection})")
            if max(w for w, _ in filters) > max_chars:
                raise ConfigError(f"config: elmo.sizes.{name}.filters: a filter is wider than max_chars ({max_chars})")
        for name, m in self.elmo["models"].items():
            _must_name(f"config: elmo.models.{name}.size", m["size"], self.elmo["sizes"], "elmo.sizes")
            _must_name(f"config: elmo.models.{name}.vocab", m["vocab"], self.vocab["elmo"], "vocab.elmo")
            if m["batch_size"] % max(1, m["resources"]["gpu"]):
                raise ConfigError(f"config: elmo.models.{name}.batch_size: {m['batch_size']} is not a multiple of "
                                  f"its {m['resources']['gpu']} GPUs")

    def check_evaluate(self) -> None:
        for task, spec in self.evaluation["tasks"].items():
            if spec["kind"] == "sentiment" and not spec.get("labels"):
                raise ConfigError(f"config: evaluate.tasks.{task}.labels: a sentiment task needs its labels")
            names = [file_name(spec[split]["url"]) for split in SPLITS]
            if len(set(names)) < len(names):
                raise ConfigError(f"config: evaluate.tasks.{task}: train, dev and test need files of different names")
        taken = set(self.bert["models"])
        for family, names in (("elmo.models", self.elmo["models"]), ("evaluate.baselines", self.evaluation["baselines"])):
            for name in names:
                if name in taken:
                    raise ConfigError(f"config: {family}.{name}: another model has this name (each is a column "
                                      "of the results table)")
                taken.add(name)

    # --- warnings: a valid config that likely does not do what was meant

    def warnings(self) -> list[str]:
        """One line each, logged when the workflow starts (and by ``python -m smie.config``)."""
        d = self.raw["clean"]
        configured, chosen = d["boilerplate_patterns"], self.boilerplate_languages()
        key = "languages" if d["boilerplate_languages"] is None else "clean.boilerplate_languages"
        built_in = ", ".join(sorted(set(boilerplate.BUILT_IN) - {boilerplate.SHARED}))
        out = [f"config: {key}: {language} has no boilerplate patterns (built in: {built_in}), so its cookie "
               f"banners, share buttons and footers stay in the corpus; set clean.boilerplate_patterns.{language} "
               f"to a list of regular expressions ([] for none)"
               for language in boilerplate.without_patterns(chosen, configured)]
        unused = sorted(set(configured) - set(chosen) - {boilerplate.SHARED})
        out += [f"config: clean.boilerplate_patterns.{language}: {language} is not a boilerplate language "
                f"({', '.join(chosen)}), so these patterns are not used; add it to clean.boilerplate_languages"
                for language in unused]
        return out

    # --- pre-flight: what would fail in a job, checked before any runs

    def preflight(self, exists=os.path.exists) -> None:
        """Inputs named by path exist; a file still to download has its ``file:`` source
        and its token (``auth_env``). ``exists`` is relative to the working directory."""
        mirror = self.raw["download"]["mirror"]
        for source, spec in self.sources.items():
            if "path" in spec:
                _must_exist(f"sources.{source}.path", spec["path"])
            for i, f in enumerate(spec.get("files", [])):
                name = file_name(f["url"])
                if exists(f"resources/download/{source}/{name}") or mirror and os.path.exists(os.path.join(mirror, name)):
                    continue
                _must_exist_url(f"sources.{source}.files[{i}].url", f["url"])
                env = spec["auth_env"]
                if env and not os.environ.get(env) and f["url"].startswith("http"):
                    raise ConfigError(f"config: sources.{source}.auth_env: {name} must be downloaded with a token; "
                                      f"export {env}=<token> (for OSCAR: a Hugging Face access token)")
        for lang, spec in self.raw["udpipe"]["models"].items():
            if lang not in self.languages:
                continue
            if "path" in spec:
                _must_exist(f"udpipe.models.{lang}.path", spec["path"])
            if "url" in spec and not exists(f"resources/udpipe/{file_name(spec['url'])}"):
                _must_exist_url(f"udpipe.models.{lang}.url", spec["url"])
        for name, spec in self.raw["udpipe"]["train"].items():
            for part in ("treebank", "heldout"):
                for i, path in enumerate(spec.get(part, [])):
                    _must_exist(f"udpipe.train.{name}.{part}[{i}]", path)
        if self.uses_discriminator():
            for lang, inputs in self.raw["langid"]["discriminator"]["train"].items():
                for i, spec in enumerate(inputs):
                    if "url" in spec and not exists(f"resources/langid/{lang}/{file_name(spec['url'])}"):
                        _must_exist_url(f"langid.discriminator.train.{lang}[{i}].url", spec["url"])
        for task, spec in self.evaluation["tasks"].items():
            for split in SPLITS:
                if not exists(f"resources/eval/{task}/{file_name(spec[split]['url'])}"):
                    _must_exist_url(f"evaluate.tasks.{task}.{split}.url", spec[split]["url"])
        for name, spec in self.evaluation["baselines"].items():
            _must_exist(f"evaluate.baselines.{name}.path", spec["path"])


def _text_format(name: str) -> str:
    """A labelled file's format by its name (less a compression suffix): .conllu,
    .conll/.conllx, else plain text."""
    stem = re.sub(r"\.(gz|bz2|xz|zst)$", "", name)
    return {".conllu": "conllu", ".conll": "conllx", ".conllx": "conllx"}.get(Path(stem).suffix, "text")


def _one_name_each(key: str, urls: list[str], each: str) -> None:
    """Downloads are stored by their URL's file name: two with one name would collide."""
    names = [file_name(url) for url in urls]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"config: {key}: several URLs end in {', '.join(dupes)}; each file of {each} needs its "
                          "own name")


def _must_name(where: str, value: str, choices, family: str) -> None:
    if value not in choices:
        raise ConfigError(f"{where}: {value!r} is not in {family} ({', '.join(choices) or 'none defined'})")


def _must_exist(key: str, path: str) -> None:
    if not os.path.exists(path):
        raise ConfigError(f"config: {key}: {path} does not exist")


def _must_exist_url(key: str, url: str) -> None:
    if url.startswith("file:"):
        _must_exist(key, url2pathname(urlparse(url).path))


def _merge(into: dict, d: dict) -> dict:
    """``d`` merged into ``into`` as Snakemake merges config files: mappings key by key."""
    for key, value in d.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def main(argv: list[str] | None = None) -> int:
    """``python -m smie.config FILE...``: check config files as a run would, merged in
    order, without Snakemake. For a YAML syntax error too: Snakemake reads ``--configfile``
    itself and says only "Config file is not valid JSON or YAML"; this names file and line."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m smie.config",
                                     description="Check config files as a run would, merged in order.")
    parser.add_argument("files", nargs="+", help="config files, as given to --configfile")
    args = parser.parse_args(argv)
    try:
        merged: dict = {}
        for f in args.files:
            _merge(merged, read_yaml(f))
        cfg = load(merged, args.files, Path(__file__).resolve().parent.parent)
    except ConfigError as error:
        print(f"smie: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"smie: config: {error}", file=sys.stderr)
        return 1
    for warning in cfg.warnings():
        print(f"smie: warning: {warning}", file=sys.stderr)
    print(f"{' + '.join(args.files)}: valid ({len(cfg.sources)} sources, languages {', '.join(cfg.languages)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
