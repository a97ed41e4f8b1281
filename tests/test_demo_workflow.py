"""A real Snakemake run of the demo DAG, and what its outputs must satisfy."""

import csv
import gzip
import hashlib
import json
from collections import Counter
import re
import shutil
from pathlib import Path

import yaml

from conftest import DEMO_CONFIG, PLANTED, REPO, demo_config, job_counts, snakemake, without_timings
from smie.documents import read_jsonl
from smie.stats import check_balance

SOURCES = demo_config()["sources"]


def documents(workdir, source):
    for shard in sorted((workdir / "results" / "extract" / source).glob("0*.jsonl.gz")):
        yield from read_jsonl(shard)


def test_every_source_is_extracted_into_its_shards(demo_run):
    for source, spec in SOURCES.items():
        shards = sorted((demo_run / "results" / "extract" / source).glob("0*.jsonl.gz"))
        assert len(shards) == spec["shards"]
        docs = list(documents(demo_run, source))
        assert docs, source
        for doc in docs:
            assert doc["source"] == source and doc["id"].startswith(f"{source}/")
            assert doc["text"].strip() and "\n\n" not in doc["text"]


def test_stats_balance_and_match_the_shards_and_the_audit_file(demo_run):
    for source in SOURCES:
        out = demo_run / "results" / "extract" / source
        stats = json.loads((out / "stats.json").read_text())
        check_balance(stats)
        assert stats["documents"]["kept"] == len(list(documents(demo_run, source)))
        rejected = list(read_jsonl(out / "rejected.jsonl.gz"))
        assert len(rejected) == sum(stats["documents"]["dropped"].values())
        assert all(r["reason"] for r in rejected)


def test_document_counts_match_the_demo_manifest(demo_run):
    kept = {s: len(list(documents(demo_run, s))) for s in SOURCES}
    assert kept["wikipedia_nb"] == PLANTED["counts"]["wikipedia/nowiki-20260101-pages-articles.xml.bz2"]["articles"]
    assert kept["wikipedia_nn"] == PLANTED["counts"]["wikipedia/nnwiki-20260101-pages-articles.xml.bz2"]["articles"]
    wiki = json.loads((demo_run / "results" / "extract" / "wikipedia_nb" / "stats.json").read_text())
    assert wiki["documents"]["dropped"]["redirect"] == PLANTED["counts"]["wikipedia/nowiki-20260101-pages-articles.xml.bz2"]["redirects"]


def test_planted_documents_all_reach_the_extracted_corpus(demo_run):
    ids = {doc["id"] for s in SOURCES for doc in documents(demo_run, s)}
    for kind in ("danish", "swedish", "english", "boilerplate", "mojibake"):
        assert set(PLANTED[kind]) <= ids, kind
    for a, b in PLANTED["exact_duplicates"] + PLANTED["near_duplicates"]:
        assert a in ids and b in ids


def test_nak_language_hints_come_from_the_nob_and_nno_folders(demo_run):
    hints = {d["meta"].get("lang_hint") for d in documents(demo_run, "nak") if "/nno/" in d["id"]}
    assert hints == {"nn"}


def test_rerun_has_nothing_to_do_and_a_forced_rerun_is_byte_identical(demo_run):
    proc = snakemake("-n", "--configfile", str(DEMO_CONFIG), "--directory", str(demo_run))
    assert "Nothing to be done" in proc.stdout + proc.stderr
    out = demo_run / "results"
    # TensorBoard's event files are named by the time they were written: a rerun replaces them
    outputs = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith("events.out.tfevents")]
    before = {p: p.read_bytes() for p in outputs}
    snakemake("--configfile", str(DEMO_CONFIG), "--directory", str(demo_run), "--cores", "2",
              "--forcerun", "extract_nak", "extract_wikipedia_nb", "extract_oscar2301_nb")
    after = {p: p.read_bytes() for p in outputs}
    assert len([p for p in outputs if p.name == "training.jsonl" or p.parts[-4] == "evaluate"]) > 10
    assert without_timings(before) == without_timings(after)


def test_a_corrupt_download_fails_its_checksum_and_keeps_nothing(tmp_path):
    corpora = tmp_path / "corpora"
    shutil.copytree(REPO / "demo" / "corpora" / "wikipedia", corpora)
    dump = corpora / "nowiki-20260101-pages-articles.xml.bz2"
    good_md5 = hashlib.md5(dump.read_bytes()).hexdigest()
    dump.write_bytes(dump.read_bytes()[:-100] + b"\0" * 100)
    config = {"sources": {"wiki": {"kind": "wikipedia", "files": [{"url": dump.as_uri(), "md5": good_md5}]}}}
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config))
    proc = snakemake("extract", "--configfile", str(tmp_path / "c.yaml"), "--directory", str(tmp_path), "--cores", "1",
                     check=False)
    assert proc.returncode != 0
    log = (tmp_path / "logs" / "download" / "wiki" / dump.name).with_suffix(".bz2.log").read_text()
    assert "md5" in log and good_md5 in log and dump.name in log
    assert not list((tmp_path / "resources").rglob("*.bz2*"))


def test_a_truncated_dump_fails_extract_with_the_file_named(tmp_path):
    src = REPO / "demo" / "corpora" / "wikipedia" / "nnwiki-20260101-pages-articles.xml.bz2"
    truncated = tmp_path / "nnwiki-truncated.xml.bz2"
    truncated.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    config = {"sources": {"wiki": {"kind": "wikipedia", "files": [{"url": truncated.as_uri()}]}}}
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config))
    proc = snakemake("extract", "--configfile", str(tmp_path / "c.yaml"), "--directory", str(tmp_path), "--cores", "1",
                     check=False)
    assert proc.returncode != 0
    assert "nnwiki-truncated.xml.bz2" in proc.stdout + proc.stderr
    assert not (tmp_path / "results" / "extract" / "wiki" / "0000.jsonl.gz").exists()


# ---------------------------------------------------------------- corpus quality


def stage_docs(workdir, stage, kind="jsonl.gz"):
    """{id: document} of every shard (or audit file, kind='dropped.jsonl.gz') of a stage."""
    docs = {}
    for source in SOURCES:
        for path in (workdir / "results" / stage / source).glob(f"[0-9][0-9][0-9][0-9].{kind}"):
            docs.update((d["id"], d) for d in read_jsonl(path))
    return docs


def test_every_stats_file_of_every_stage_balances(demo_run):
    files = [p for stage in ("extract", "clean", "langid", "dedup") for p in (demo_run / "results" / stage).rglob("*stats.json")]
    assert len(files) == len(SOURCES) + 3 * sum(s["shards"] for s in SOURCES.values())
    for path in files:
        check_balance(json.loads(path.read_text()))


def test_planted_duplicates_are_all_found_and_nothing_else(demo_run):
    dropped = stage_docs(demo_run, "dedup", "dropped.jsonl.gz")
    planted = PLANTED["exact_duplicates"] + PLANTED["near_duplicates"]
    for a, b in planted:
        assert (a in dropped) != (b in dropped), (a, b)
    assert len(dropped) == len(planted)
    reasons = {d["meta"]["dropped_by"] for d in dropped.values()}
    assert reasons == {"dedup:exact-duplicate", "dedup:near-duplicate"}


def test_planted_languages_short_pages_and_boilerplate_are_caught_with_their_reason(demo_run):
    clean_dropped = stage_docs(demo_run, "clean", "dropped.jsonl.gz")
    langid_dropped = stage_docs(demo_run, "langid", "dropped.jsonl.gz")
    for doc_id in PLANTED["too_short"]:
        assert clean_dropped[doc_id]["meta"]["dropped_by"] == "clean:too-short"
    for kind, code in (("danish", "da"), ("swedish", "sv"), ("english", "en")):
        for doc_id in PLANTED[kind]:
            assert langid_dropped[doc_id]["meta"]["dropped_by"] == f"langid:lang-{code}", doc_id
    cleaned = stage_docs(demo_run, "clean")
    for doc_id in PLANTED["boilerplate"]:
        if doc_id in cleaned:  # kept, without its boilerplate lines
            assert "Del på Facebook" not in cleaned[doc_id]["text"]
            assert "informasjonskapsler" not in cleaned[doc_id]["text"].lower()
        else:
            assert clean_dropped[doc_id]["meta"]["dropped_by"] == "clean:mostly-boilerplate"
    for doc_id in PLANTED["mojibake"]:
        assert "Ã" not in cleaned[doc_id]["text"]


def test_no_unplanted_norwegian_document_is_lost(demo_run):
    planted = {i for kind in ("danish", "swedish", "english", "too_short", "boilerplate") for i in PLANTED[kind]}
    planted |= {i for pair in PLANTED["exact_duplicates"] + PLANTED["near_duplicates"] for i in pair}
    extracted = {doc["id"] for s in SOURCES for doc in documents(demo_run, s)}
    final = stage_docs(demo_run, "dedup")
    assert extracted - planted <= set(final)
    assert {d["lang"] for d in final.values()} == {"nb", "nn"}


def test_the_demo_trains_its_discriminator_and_langid_asks_it(demo_run):
    stats = json.loads((demo_run / "results" / "discriminator" / "stats.json").read_text())
    assert set(stats["train"]) == {"nb", "nn", "da", "sv", "en", "de"}  # treebanks, Wikipedia, demo/langid/
    assert stats["heldout"]["sentences"] > 50 and stats["heldout"]["kept_vs_other"] >= 0.9
    labels = Counter()
    for doc in stage_docs(demo_run, "langid").values():
        meta = doc["meta"]["langid"]
        assert meta["backend"] == "polyglot+discriminator"
        if meta["detector_label"] in ("nb", "nn") and meta["reliable"]:  # the demo's confusable languages
            assert meta["second_opinion"]["label"] == meta["label"] in ("nb", "nn")
        labels[meta["label"]] += 1
    assert labels["nb"] > labels["nn"] > 50
    notes = (demo_run / "results" / "tables" / "languages.md").read_text()
    assert f"discriminator: {stats['heldout']['sentences']} held-out sentences" in notes


def test_funnel_and_language_tables_account_for_every_source(demo_run):
    funnel = (demo_run / "results" / "tables" / "funnel.csv").read_text().splitlines()
    assert len(funnel) == 1 + 4 * len(SOURCES)
    languages = re.sub(r" +", " ", (demo_run / "results" / "tables" / "languages.md").read_text())
    assert "| nak | da |" in languages and "| wikipedia_nn | nn |" in languages
    # every table names the settings and packages it came from
    for name in ("funnel", "languages", "corpus_stats", "vocab", "results"):
        footer = (demo_run / "results" / "tables" / f"{name}.md").read_text().rstrip().splitlines()[-1]
        assert re.search(r"^\[\^provenance\]: Config [0-9a-f]{12}; smie \S+, snakemake 9\.", footer), (name, footer)
        tex = (demo_run / "results" / "tables" / f"{name}.tex").read_text()
        assert tex.startswith("% Config ") and r"\bottomrule" in tex, name
        assert "<caption>" in (demo_run / "results" / "tables" / f"{name}.html").read_text(), name
    hashes = {re.search(r"Config (\w+)", (demo_run / f"results/tables/{n}.md").read_text())[1]
              for n in ("funnel", "results")}
    assert len(hashes) == 2  # the funnel's covers the corpus sections only


def test_udpipe_corpora_are_aligned_and_hold_every_kept_document(demo_run):
    def lines(path):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return f.read().split("\n")

    totals = {}
    for source, spec in SOURCES.items():
        for k in range(spec["shards"]):
            out = demo_run / "results" / "udpipe" / source / f"{k:04d}"
            sentences, tokens, lemmas = (lines(f"{out}.{kind}.txt.gz") for kind in ("sentences", "tokens", "lemmas"))
            assert len(sentences) == len(tokens) == len(lemmas)
            for s, t, l in zip(sentences, tokens, lemmas):
                assert (s == "") == (t == "") == (l == "")
                assert len(t.split(" ")) == len(l.split(" "))
            kept = list(read_jsonl(demo_run / "results" / "dedup" / source / f"{k:04d}.jsonl.gz"))
            assert sentences.count("") - 1 == len(kept)  # a blank line after each document
            stats = json.loads(Path(f"{out}.stats.json").read_text())
            for lang, c in stats["languages"].items():
                totals[lang] = totals.get(lang, 0) + c["tokens"]
            assert sum(c["documents"] for c in stats["languages"].values()) == len(kept)
            assert sum(c["sentences"] for c in stats["languages"].values()) == sum(1 for s in sentences if s)
    table = {(r["source"], r["language"]): r for r in csv.DictReader(open(demo_run / "results/tables/corpus_stats.csv"))}
    assert {lang: int(table[("total", lang)]["tokens"]) for lang in totals} == totals
    assert set(totals) == {"nb", "nn"}


def test_the_demo_trains_its_udpipe_models_from_its_treebanks(demo_run):
    for lang in ("nb", "nn"):
        assert (demo_run / "results" / "udpipe" / "models" / f"demo-{lang}.udpipe").stat().st_size > 10_000
        log = (demo_run / "logs" / "udpipe" / "train" / f"demo-{lang}.log").read_text()
        assert "training on 400 sentences" in log and "Training tagger" in log


def test_vocabularies_load_in_transformers_and_cover_norwegian(demo_run):
    from transformers import AutoTokenizer

    config = demo_config()["vocab"]
    for name, spec in config["wordpiece"].items():
        folder = demo_run / "results" / "vocab" / "wordpiece" / name
        lines = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        assert len(lines) == spec["size"]
        tokenizer = AutoTokenizer.from_pretrained(folder)
        ids = tokenizer("Kommunen ligger ved fjorden i Nordland.")["input_ids"]
        assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id
        assert tokenizer.unk_token_id not in ids
        assert [lines[i] for i in ids] == tokenizer.convert_ids_to_tokens(ids)
    for name, spec in config["elmo"].items():
        folder = demo_run / "results" / "vocab" / "elmo" / name
        words = (folder / "vocab.txt").read_text(encoding="utf-8").splitlines()
        assert words[:3] == ["<S>", "</S>", "<UNK>"] and len(words) == spec["size"] + 3
        stats = json.loads((folder / "stats.json").read_text())
        corpus = [line for p in (demo_run / "results" / "udpipe").glob(f"*/*.{spec['corpus']}.txt.gz")
                  for line in gzip.open(p, "rt", encoding="utf-8").read().splitlines()]
        assert stats["tokens"] == sum(len(line.split()) for line in corpus)
    table = re.sub(r" +", " ", (demo_run / "results" / "tables" / "vocab.md").read_text())
    assert all(f"| {name} |" in table for kind in ("wordpiece", "elmo") for name in config[kind])


def planned_jobs(dry_run_stdout: str) -> list[tuple[str, dict]]:
    """Every job of a dry run as (rule, wildcards)."""
    jobs = []
    for block in re.split(r"^(?:local)?rule ", dry_run_stdout, flags=re.M)[1:]:
        rule = block.split(":", 1)[0]
        found = re.search(r"^\s+wildcards: (.*)$", block, re.M)
        wildcards = dict(item.split("=", 1) for item in found[1].split(", ")) if found else {}
        jobs.append((rule, wildcards))
    return jobs


CORPUS_AND_ANNOTATION = {"download_file", "clean_shard", "langid_shard", "dedup_signatures", "dedup_find",
                         "dedup_shard", "train_udpipe", "download_udpipe_model", "udpipe_shard", "corpus_statistics",
                         "funnel_table", "language_table"}


def test_changing_one_vocabulary_size_reruns_only_that_vocabulary_and_its_berts(demo_run, tmp_path):
    config = demo_config()
    config["vocab"]["wordpiece"]["cased-2k"]["size"] = 1500
    changed = tmp_path / "config.yaml"
    changed.write_text(yaml.safe_dump(config, sort_keys=False))
    proc = snakemake("-n", "--configfile", str(changed), "--directory", str(demo_run))
    jobs = planned_jobs(proc.stdout)
    counts = job_counts(proc.stdout)

    berts = {name: m for name, m in config["bert"]["models"].items() if m["vocab"] == "cased-2k"}
    lengths = {phase["seq_length"] for m in berts.values() for phase in m["phases"]}
    shards = sum(s["shards"] for s in SOURCES.values())
    assert berts and [w for rule, w in jobs if rule == "train_wordpiece"] == [{"name": "cased-2k"}]
    assert counts["bert_data"] == shards * len(lengths)
    assert counts["bert_data_index"] == len(lengths)
    assert counts["pretrain_bert"] == sum(len(m["phases"]) for m in berts.values())
    # every job that names a vocabulary or a model names this one or its BERTs
    assert {w["vocab"] for _, w in jobs if "vocab" in w} == {"cased-2k"}
    assert {w["model"] for _, w in jobs if "model" in w} == set(berts)
    # nothing upstream, nothing of the other vocabularies (ELMo's word lists included)
    assert not {rule for rule, _ in jobs} & (CORPUS_AND_ANNOTATION | {"count_words", "elmo_vocab", "pretrain_elmo"})
    assert not any(rule.startswith("extract_") for rule, _ in jobs)


def test_a_crashed_shard_reruns_alone(demo_run, tmp_path):
    # What a failed (crashed, killed, out-of-memory) job leaves: Snakemake deletes its
    # outputs, and every other job's stay. Here one udpipe shard, in a copy of the demo run.
    work = tmp_path / "run"
    shutil.copytree(demo_run, work, symlinks=True)  # copy2: modification times kept
    outputs = sorted(work.glob("results/udpipe/nak/0001.*"))
    before = {p: p.read_bytes() for p in outputs}
    assert len(outputs) >= 4
    for p in outputs:
        p.unlink()

    jobs = planned_jobs(snakemake("-n", "--configfile", str(DEMO_CONFIG), "--directory", str(work)).stdout)
    assert [w for rule, w in jobs if rule == "udpipe_shard"] == [{"source": "nak", "shard": "0001"}]
    assert not {rule for rule, _ in jobs} & (CORPUS_AND_ANNOTATION - {"udpipe_shard", "corpus_statistics"})
    assert not any(rule.startswith("extract_") for rule, _ in jobs)
    # per-shard jobs downstream rerun for that shard only
    assert {(w["source"], w["shard"]) for rule, w in jobs if rule == "count_words"} == {("nak", "0001")}

    # and rerunning the stage runs that one job, giving the same bytes
    proc = snakemake("--configfile", str(DEMO_CONFIG), "--directory", str(work), "--cores", "2",
                     "--until", "udpipe_shard")
    assert job_counts(proc.stdout + proc.stderr) == {"udpipe_shard": 1}
    assert {p: p.read_bytes() for p in outputs} == before
