"""The config schema, the full config's plan, and errors for invalid configs."""

import copy
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from conftest import FULL_RUN_ENV, REPO, job_counts, snakemake, write_config
from smie import boilerplate, clean
from smie import config as layer
from smie.extract import wikitext


def test_full_config_plans_every_stage_for_every_shard():
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    proc = snakemake("-n", "--quiet", "rules", env=FULL_RUN_ENV)
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
    layer.validate(config)
    assert config["languages"] == ["nb", "nn"]
    assert config["download"] == {"mirror": None, "retries": 5, "timeout": 60}
    assert config["sources"]["x"]["shards"] == 1
    assert config["sources"]["x"]["lang"] is None


def load(config: dict, base=REPO):
    return layer.load(config, [], base)


def test_only_a_wikipedia_source_is_given_lists():
    cfg = load({"sources": {"w": {"kind": "wikipedia", "files": [{"url": "https://a.org/w.xml.bz2"}]},
                            "t": {"kind": "text", "path": "p", "lists": "all"}}})
    assert cfg.extract("w")["reader_options"] == {"lists": wikitext.DEFAULT_LISTS}
    assert "reader_options" not in cfg.extract("t")  # its params, and its job, stay as they were
    default = layer._schema()["$defs"]["source"]["properties"]["lists"]
    assert default["default"] == wikitext.DEFAULT_LISTS and default["enum"] == list(wikitext.LISTS)


TEXT = {"kind": "text", "path": "p"}
PHASES = [{"seq_length": 128, "steps": 1, "batch_size": 8, "micro_batch": 8, "lr": 1e-3}]


@pytest.mark.parametrize(
    "config, message",
    [
        ({"clean": {"min_word": 3}}, "config: clean.min_word: unknown key (did you mean min_words?)"),
        ({"sources": {"mine": {"kind": "pdf", "path": "p"}}},
         "config: sources.mine.kind: 'pdf' is not one of wikipedia, nak, oscar, text, html"),
        ({"sources": {"mine": {**TEXT, "shards": 0}}}, "config: sources.mine.shards: must be at least 1, got 0"),
        ({"sources": {"mine": {**TEXT, "shards": "two"}}}, "config: sources.mine.shards: expected integer, got 'two'"),
        ({"sources": {"mine": {"kind": "oscar", "files": [{"url": "ftp://x/y.gz"}]}}},
         "config: sources.mine.files[0].url: 'ftp://x/y.gz' does not match ^(https?|file): (an http(s):// or file: URL)"),
        ({"sources": {"mine": {"kind": "oscar"}}}, "config: sources.mine: give exactly one of {files: ...} or {path: ...}"),
        ({"sources": {"mine": {**TEXT, "shard": 2}}}, "config: sources.mine.shard: unknown key (did you mean shards?)"),
        ({"udpipe": {"models": {"nb": {"path": "a", "url": "http://x/y.udpipe"}}}},
         "config: udpipe.models.nb: give exactly one of {url: ...} or {path: ...} or {train: ...}"),
        ({"evaluate": {"tasks": {"t": {"kind": "pos"}}}}, "config: evaluate.tasks.t.train: required key missing"),
        ({"sources": {"mine": {**TEXT, "lang": "Norwegian"}}},
         "config: sources.mine.lang: 'Norwegian' does not match ^[a-z]{2,3}$ (a language code such as nb)"),
        # the list of patterns of old: now they are per language
        ({"clean": {"boilerplate_patterns": ["^annonse$"]}},
         "config: clean.boilerplate_patterns: expected object keyed by a language code such as nb, or shared, "
         "got ['^annonse$']"),
        ({"clean": {"boilerplate_patterns": {"Danish": []}}},
         "config: clean.boilerplate_patterns: 'Danish' does not match ^([a-z]{2,3}|shared)$ (a language code such "
         "as nb, or shared)"),
    ],
)
def test_a_schema_error_is_one_line_naming_the_key_and_what_to_do(config, message):
    config = {"sources": {"x": TEXT}, **config}
    with pytest.raises(layer.ConfigError) as error:
        load(config)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "config, message",
    [
        ({"sources": {"mine": {"kind": "oscar", "files": [{"url": "https://a.org/x/part.gz"},
                                                          {"url": "https://b.org/y/part.gz"}]}}},
         "config: sources.mine.files: several URLs end in part.gz; each file of a source needs its own name"),
        ({"sources": {"mine": {"kind": "oscar", "files": [{"url": "https://a.org/x.gz", "parts": 4}]}}},
         "config: sources.mine.files[0].parts: 4 parts need a Wikipedia multistream dump and its index "
         "(sources.<s>.files[].index)"),
        ({"udpipe": {"models": {"nb": {"path": "nb.udpipe"}}}},
         "config: udpipe.models: no model for nn (every language of `languages` needs one)"),
        ({"udpipe": {"models": {"nb": {"train": "mine"}, "nn": {"train": "mine"}}}},
         "config: udpipe.models.nb.train: 'mine' is not in udpipe.train (none defined)"),
        ({"dedup": {"source_priority": ["x", "nope"]}}, "config: dedup.source_priority: nope is not a source (sources: x)"),
        ({"langid": {"second_opinion": "discriminator"}},
         "config: langid.discriminator.train: no labelled text for nb, nn; give files or sources per language (and "
         "other languages to tell them from), or set langid.second_opinion: null"),
        ({"languages": ["nb"], "udpipe": {"models": {"nb": {"path": "nb.udpipe"}}},
          "langid": {"second_opinion": "discriminator", "discriminator": {"train": {
              "nb": [{"url": "https://a.org/nb.txt"}]}}}},
         "config: langid.discriminator.train: no labelled text for a second language; give files or sources per "
         "language (and other languages to tell them from), or set langid.second_opinion: null"),
        ({"langid": {"discriminator": {"train": {"nn": [{"source": "wiki"}]}}}},
         "config: langid.discriminator.train.nn[0].source: 'wiki' is not in sources (x)"),
        ({"langid": {"discriminator": {"train": {"nn": [{"treebank": "ndt"}]}}}},
         "config: langid.discriminator.train.nn[0].treebank: 'ndt' is not in udpipe.train (none defined)"),
        ({"langid": {"discriminator": {"train": {"da": [{"url": "https://a.org/x/da.txt"},
                                                        {"url": "https://b.org/da.txt"}]}}}},
         "config: langid.discriminator.train.da: several URLs end in da.txt; each file of a language needs its own "
         "name"),
        ({"clean": {"boilerplate_patterns": {"nb": ["les også"], "da": ["læs også", "^annonce$", "del (på"]}}},
         "config: clean.boilerplate_patterns.da[2]: 'del (på' is not a regular expression (missing ), unterminated "
         "subpattern at position 4)"),
        ({"clean": {"boilerplate_patterns": {"sv": ["Läs också"]}}},
         "config: clean.boilerplate_patterns.sv[0]: 'Läs också' has capitals, but paragraphs are lower-cased before "
         "the search: write it in lower case"),
        ({"bert": {"sizes": {"odd": {"hidden": 100, "layers": 1, "heads": 3, "intermediate": 10}}}},
         "config: bert.sizes.odd.heads: 3 heads do not divide hidden (100)"),
        ({"bert": {"models": {"m": {"vocab": "cased-30k", "size": "huge", "phases": PHASES}}}},
         "config: bert.models.m.size: 'huge' is not in bert.sizes (tiny, base, large)"),
        ({"bert": {"models": {"m": {"vocab": "mine", "size": "tiny", "phases": PHASES}}}},
         "config: bert.models.m.vocab: 'mine' is not in vocab.wordpiece (cased-30k)"),
        ({"bert": {"models": {"m": {"vocab": "cased-30k", "size": "tiny", "phases": [
            {"seq_length": 512, "steps": 1, "batch_size": 8, "micro_batch": 8, "lr": 1e-3}]}},
                   "sizes": {"tiny": {"max_positions": 256}}}},
         "config: bert.models.m.phases[0].seq_length: 512 is longer than the size's max_positions (256)"),
        ({"bert": {"models": {"m": {"vocab": "cased-30k", "size": "tiny", "resources": {"gpu": 2}, "phases": [
            {"seq_length": 128, "steps": 1, "batch_size": 24, "micro_batch": 8, "lr": 1e-3}]}}}},
         "config: bert.models.m.phases[0].batch_size: 24 is not a multiple of micro_batch (8) x 2 GPU(s)"),
        ({"elmo": {"sizes": {"small": {"filters": [[1, 8]], "projection_dim": 16}}}},
         "config: elmo.sizes.small.filters: they add up to 8, which must exceed projection_dim (16)"),
        ({"elmo": {"sizes": {"small": {"filters": [[9, 800]], "max_chars": 8}}}},
         "config: elmo.sizes.small.filters: a filter is wider than max_chars (8)"),
        ({"elmo": {"models": {"m": {"vocab": "nowhere", "size": "tiny"}}}},
         "config: elmo.models.m.vocab: 'nowhere' is not in vocab.elmo (tokens-30k, tokens-100k, lemmas-30k)"),
        ({"evaluate": {"tasks": {"s": {"kind": "sentiment", **{p: {"url": f"file:{p}.json"} for p in
                                                              ("train", "dev", "test")}}}}},
         "config: evaluate.tasks.s.labels: a sentiment task needs its labels"),
    ],
)
def test_a_cross_key_error_is_caught_by_the_config_layer(config, message):
    with pytest.raises(layer.ConfigError) as error:
        load({"sources": {"x": TEXT}, **config})
    assert str(error.value) == message


def test_the_discriminator_reads_what_the_config_names_and_langid_only_its_model():
    cfg = load({"sources": {"x": TEXT, "wiki": {**TEXT, "shards": 2}},
                "udpipe": {"train": {"ndt": {"treebank": ["a.conll", "b.conll"], "format": "conllx"}}},
                "langid": {"second_opinion": "discriminator", "discriminator": {"epoch": 3, "train": {
                    "nb": [{"treebank": "ndt"}, {"url": "https://a.org/nb-ud-train.conllu"}],
                    "nn": [{"source": "wiki"}],
                    "da": [{"url": "https://a.org/da.txt.gz"}, {"url": "https://a.org/da.conll.gz"},
                           {"url": "https://a.org/da.tsv", "format": "conllu"},
                           {"url": "https://a.org/d.conllu.xz"}]}}}})
    assert cfg.discriminator_files() == {
        "nb": [[str(REPO / "a.conll"), "conllx"], [str(REPO / "b.conll"), "conllx"],
               ["resources/langid/nb/nb-ud-train.conllu", "conllu"]],
        "nn": [["results/clean/wiki/0000.jsonl.gz", "documents"], ["results/clean/wiki/0001.jsonl.gz", "documents"]],
        "da": [["resources/langid/da/da.txt.gz", "text"], ["resources/langid/da/da.conll.gz", "conllx"],
               ["resources/langid/da/da.tsv", "conllu"], ["resources/langid/da/d.conllu.xz", "conllu"]],
    }
    training = cfg.discriminator()
    assert training["settings"]["epoch"] == 3 and "train" not in training["settings"]
    assert training["keep"] == ["nb", "nn"]
    assert cfg.discriminator_file_spec("da", "da.tsv") == {"url": "https://a.org/da.tsv"}
    # langid_shard gets the model file as an input, not the training's settings
    assert set(cfg.langid()) == {"confusable", "keep", "level", "second_opinion", "threshold"}
    alone = load({"sources": {"x": TEXT}})
    assert set(alone.langid()) == {"keep", "level", "second_opinion", "threshold"}  # no second opinion to confuse


def test_a_size_of_a_builtin_name_changes_only_the_keys_it_gives():
    cfg = load({"sources": {"x": TEXT}, "bert": {"sizes": {"tiny": {"layers": 4}, "mine": {
        "hidden": 8, "layers": 1, "heads": 2, "intermediate": 16}}}})
    assert set(cfg.bert["sizes"]) == {"tiny", "base", "large", "mine"}
    assert cfg.bert_size("tiny") == {"hidden": 128, "layers": 4, "heads": 2, "intermediate": 512, "dropout": 0.1,
                                     "max_positions": 512}


def test_a_key_given_twice_names_the_file_and_line(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("sources:\n  x: {kind: text, path: p}\nclean:\n  min_words: 3\n  min_words: 4\n")
    with pytest.raises(layer.ConfigError, match=rf"{path}:5: key 'min_words' is given twice"):
        layer.read_yaml(path)


def test_the_config_checker_names_file_and_line_of_a_yaml_syntax_error(tmp_path):
    # Snakemake reads --configfile itself and names neither; python -m smie.config does
    bad = tmp_path / "bad.yaml"
    bad.write_text("languages: [nb, nn]\nclean:\n  min_words: 3\n   max_words: 9\n")
    proc = snakemake("-n", "--configfile", str(bad), check=False)
    assert proc.returncode != 0 and "not valid JSON or YAML" in proc.stdout + proc.stderr
    checker = subprocess.run([sys.executable, "-m", "smie.config", str(bad)], capture_output=True, text=True, cwd=REPO)
    assert (checker.returncode, checker.stderr.strip()) == (1, f"smie: {bad}:4: mapping values are not allowed here")
    mine = tmp_path / "mine.yaml"  # merged in order, as Snakemake merges --configfile files
    mine.write_text("clean:\n  min_word: 3\n")
    checker = subprocess.run([sys.executable, "-m", "smie.config", str(REPO / "demo/config.yaml"), str(mine)],
                             capture_output=True, text=True, cwd=REPO)
    assert (checker.returncode, checker.stderr.strip()) == (1, "smie: config: clean.min_word: unknown key (did you mean min_words?)")
    checker = subprocess.run([sys.executable, "-m", "smie.config", str(REPO / "demo/config.yaml")],
                             capture_output=True, text=True, cwd=REPO)
    assert checker.returncode == 0 and "valid (9 sources, languages nb, nn)" in checker.stdout


def test_relative_paths_resolve_against_the_config_file_that_sets_them(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = tmp_path / "a/base.yaml"
    a.write_text("sources:\n  t: {kind: text, path: texts}\n  o: {kind: oscar, files: [{url: 'file:o/x.gz'}]}\n")
    b = tmp_path / "b/mine.yaml"
    b.write_text("sources:\n  h: {kind: html, path: ../pages}\n")
    merged = {"sources": {**yaml.safe_load(a.read_text())["sources"], **yaml.safe_load(b.read_text())["sources"]}}
    cfg = layer.load(merged, [a, b], REPO)
    assert cfg.sources["t"]["path"] == str(tmp_path / "a/texts")
    assert cfg.sources["o"]["files"][0]["url"] == (tmp_path / "a/o/x.gz").as_uri()
    assert cfg.sources["h"]["path"] == str(tmp_path / "pages")


def test_runtime_settings_stay_out_of_what_rules_are_given():
    base = {"sources": {"x": {"kind": "oscar", "files": [{"url": "https://a.org/x.gz"}], "auth_env": "TOKEN"}},
            "bert": {"models": {"m": {"vocab": "cased-30k", "size": "tiny", "phases": [
                {"seq_length": 128, "steps": 1, "batch_size": 8, "micro_batch": 8, "lr": 1e-3}]}}}}
    runtime = copy.deepcopy(base)
    runtime["download"] = {"timeout": 5, "retries": 0}
    runtime["audit"] = False
    runtime["bert"]["models"]["m"].update(log_every=1, checkpoint_every=1, resources={"gpu": 0, "mem_mb": 1})
    a, b = load(copy.deepcopy(base)), load(runtime)
    assert a.lineage("results") == b.lineage("results")
    assert a.bert_phase("m", 1) == b.bert_phase("m", 1)
    assert b.model_runtime("bert", "m")["log_every"] == 1
    assert b.download_runtime("x") == {"mirror": None, "retries": 0, "timeout": 5, "auth_env": "TOKEN"}


def test_preflight_names_a_missing_input_and_a_missing_token(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(layer.ConfigError, match="config: sources.x.path: .*/nowhere does not exist"):
        load({"sources": {"x": {"kind": "text", "path": "nowhere"}}}, tmp_path).preflight()
    with pytest.raises(layer.ConfigError, match=r"config: sources.x.files\[0\].url: .*/gone.gz does not exist"):
        load({"sources": {"x": {"kind": "oscar", "files": [{"url": "file:gone.gz"}]}}}, tmp_path).preflight()
    monkeypatch.delenv("SMIE_TEST_TOKEN", raising=False)
    gated = {"sources": {"x": {"kind": "oscar", "files": [{"url": "https://h.co/x.jsonl.zst"}],
                               "auth_env": "SMIE_TEST_TOKEN"}}}
    with pytest.raises(layer.ConfigError, match="config: sources.x.auth_env: x.jsonl.zst must be downloaded with a "
                                                "token; export SMIE_TEST_TOKEN=<token>"):
        load(gated, tmp_path).preflight()
    monkeypatch.setenv("SMIE_TEST_TOKEN", "secret")
    load(gated, tmp_path).preflight()
    monkeypatch.delenv("SMIE_TEST_TOKEN")
    (tmp_path / "resources/download/x").mkdir(parents=True)
    (tmp_path / "resources/download/x/x.jsonl.zst").write_bytes(b"")
    load(gated, tmp_path).preflight()  # downloaded already: no token needed


def test_the_full_config_without_its_token_fails_before_any_job(tmp_path):
    proc = snakemake("-n", "--directory", str(tmp_path), check=False, env={"HF_TOKEN": ""})
    assert proc.returncode != 0
    assert "sources.oscar_nb.auth_env" in proc.stderr and "export HF_TOKEN=<token>" in proc.stderr


def test_an_invalid_config_fails_in_one_line_before_any_job(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"sources": {"mine": {"kind": "text", "path": "p"}}, "clean": {"min_word": 3}}))
    proc = snakemake("-n", "--configfile", str(bad), "--directory", str(tmp_path), check=False)
    assert proc.returncode != 0
    assert (proc.stdout + proc.stderr).strip() == "smie: config: clean.min_word: unknown key (did you mean min_words?)"
    assert not (tmp_path / "results").exists() and not (tmp_path / "resources").exists()


# --- boilerplate patterns: chosen per language, resolved once into clean's params


def clean_patterns(clean=None, languages=None) -> list[str]:
    config = {"sources": {"x": TEXT}, "clean": clean or {}}
    if languages:
        config.update(languages=languages, udpipe={"models": {lang: {"path": "m.udpipe"} for lang in languages}})
    return load(config).clean()["boilerplate_patterns"]


def test_clean_gets_the_patterns_of_the_configs_languages_and_english():
    cfg = load({"sources": {"x": TEXT}})
    settings = cfg.clean()
    assert "boilerplate_languages" not in settings  # resolved here: the rule gets the patterns alone
    assert settings["boilerplate_patterns"] == list(clean.DEFAULT_BOILERPLATE_PATTERNS)
    assert clean.Settings.from_dict(settings).boilerplate_patterns == clean.DEFAULT_BOILERPLATE_PATTERNS
    assert cfg.boilerplate_languages() == ["en", "nb", "nn"]
    assert clean_patterns(languages=["da"]) == boilerplate.patterns(["da", "en"])
    assert clean_patterns({"boilerplate_languages": ["de"]}) == boilerplate.patterns(["de"])


def test_a_configured_language_replaces_its_built_in_patterns_alone():
    configured = clean_patterns({"boilerplate_languages": ["nb", "da"], "boilerplate_patterns": {"da": ["^annonce$"]}})
    assert set(configured) == {*boilerplate.patterns(["nb"]), "^annonce$"}  # nb's and the shared ones stay
    assert "^annonce$" not in clean_patterns({"boilerplate_patterns": {"da": ["^annonce$"]}})  # da not chosen
    without_shared = clean_patterns({"boilerplate_patterns": {"shared": []}})
    assert "©" in clean_patterns() and "©" not in without_shared


def test_only_an_edit_that_changes_the_patterns_changes_the_params():
    """The params are what Snakemake compares: the same patterns, however chosen, are no edit."""
    default = clean_patterns()
    for same in ({"boilerplate_languages": ["nn", "en", "nb", "nb"]},  # the default, spelled out and reordered
                 {"boilerplate_patterns": {"da": ["^annonce$"], "fi": []}}):  # languages not chosen
        assert clean_patterns(same) == default, same
    assert clean_patterns(languages=["nn", "nb"]) == default
    for edit in ({"boilerplate_languages": ["nb", "nn"]}, {"boilerplate_patterns": {"nn": ["^annonse$"]}},
                 {"boilerplate_patterns": {"shared": []}}):
        assert clean_patterns(edit) != default, edit
    assert clean_patterns(languages=["nb"]) != default  # nynorsk's own wording goes


def test_a_language_without_patterns_is_warned_about():
    config = {"sources": {"x": TEXT}, "languages": ["nb", "fi"],
              "udpipe": {"models": {"nb": {"path": "nb.udpipe"}, "fi": {"path": "fi.udpipe"}}}}
    assert load(config).warnings() == [
        "config: languages: fi has no boilerplate patterns (built in: da, de, en, nb, nn, sv), so its cookie banners, "
        "share buttons and footers stay in the corpus; set clean.boilerplate_patterns.fi to a list of regular "
        "expressions ([] for none)"]
    assert load({**config, "clean": {"boilerplate_patterns": {"fi": []}}}).warnings() == []  # said so: none
    (warning,) = load({**config, "clean": {"boilerplate_languages": ["nb", "se"]}}).warnings()
    assert warning.startswith("config: clean.boilerplate_languages: se has no boilerplate patterns")
    assert load({"sources": {"x": TEXT}}).warnings() == []
    (warning,) = load({"sources": {"x": TEXT}, "clean": {"boilerplate_patterns": {"da": ["^annonce$"]}}}).warnings()
    assert warning == ("config: clean.boilerplate_patterns.da: da is not a boilerplate language (en, nb, nn), so "
                       "these patterns are not used; add it to clean.boilerplate_languages")


def test_snakemake_warns_of_a_language_without_patterns_and_refuses_a_bad_one(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts/a.txt").write_text("Tämä on suomenkielinen teksti.\n")
    (tmp_path / "fi.udpipe").write_bytes(b"")
    config = {"languages": ["fi"], "sources": {"mine": {"kind": "text", "path": "texts"}},
              "udpipe": {"models": {"fi": {"path": "fi.udpipe"}}}}
    path = write_config(config, tmp_path / "fi.yaml")
    proc = snakemake("-n", "--configfile", str(path), "--directory", str(tmp_path / "run"))
    warning = ("smie: warning: config: languages: fi has no boilerplate patterns (built in: da, de, en, nb, nn, sv), "
               "so its cookie banners, share buttons and footers stay in the corpus; set "
               "clean.boilerplate_patterns.fi to a list of regular expressions ([] for none)")
    assert (proc.stdout + proc.stderr).count(warning) == 1
    assert job_counts(proc.stdout)["clean_shard"] == 1  # a warning: the run goes on
    checker = subprocess.run([sys.executable, "-m", "smie.config", str(path)], capture_output=True, text=True,
                             cwd=REPO)
    assert checker.returncode == 0 and checker.stderr.strip() == warning

    config["clean"] = {"boilerplate_patterns": {"fi": ["lue myös", "jaa (facebookissa"]}}
    path = write_config(config, tmp_path / "bad.yaml")
    proc = snakemake("-n", "--configfile", str(path), "--directory", str(tmp_path / "run"), check=False)
    assert proc.returncode != 0
    assert (proc.stdout + proc.stderr).strip() == (
        "smie: config: clean.boilerplate_patterns.fi[1]: 'jaa (facebookissa' is not a regular expression (missing ), "
        "unterminated subpattern at position 4)")
    assert not (tmp_path / "run/results").exists()


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


def test_no_script_reads_the_config():
    """Scripts get what their outputs depend on as params: one read of the config, smie/config.py."""
    readers = [p.name for p in (REPO / "scripts").glob("*.py") if "snakemake.config" in p.read_text()]
    assert readers == []
    rules = [p.name for p in (REPO / "rules").glob("*.smk") if re.search(r"\bconfig\[", p.read_text())]
    assert rules == []
