"""Faults a job must survive with a clear error or a counted record, and nothing lost."""

import gzip
import json
import os
import sys

import pytest

from conftest import REPO, snakemake
from smie.documents import InputError, read_jsonl
from smie.extract.run import extract
from smie.rules import rule_log
from smie.stats import check_balance


def run_extract(tmp_path, kind, inputs, source="s", max_bytes=None, reader_options=None):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    stats = extract(inputs, kind=kind, source=source, lang_hint=None, max_document_bytes=max_bytes,
                    reader_options=reader_options, shard_paths=[out / "0000.jsonl.gz"], stats_path=out / "stats.json",
                    rejected_path=out / "rejected.jsonl.gz")
    return stats.to_dict(), list(read_jsonl(out / "0000.jsonl.gz")), list(read_jsonl(out / "rejected.jsonl.gz"))


def test_a_lone_surrogate_is_set_aside_whole_not_a_crash(tmp_path):
    oscar = tmp_path / "nn_meta_part_1.jsonl"
    good = {"content": "Dette er ein heilt vanleg tekst på nynorsk.", "metadata": {"x": 1}}
    oscar.write_text(json.dumps(good) + "\n" + '{"content": "tekst \\ud800 tekst", "metadata": {"y": "\\udfff"}}\n')
    stats, docs, rejected = run_extract(tmp_path, "oscar", [oscar])
    check_balance(stats)
    assert [d["text"] for d in docs] == [good["content"]]
    assert stats["documents"]["dropped"] == {"invalid-unicode": 1}
    [record] = rejected
    assert record["reason"] == "invalid-unicode"
    original = json.loads(record["raw"])  # the whole document, its code points as they were
    assert original["text"] == "tekst \ud800 tekst" and original["meta"]["metadata"]["y"] == "\udfff"


def test_an_undecodable_line_keeps_its_bytes(tmp_path):
    line = '{"content": "bl\u00e5b\u00e6r"}'.encode("latin-1")  # a Latin-1 line in a UTF-8 file
    oscar = tmp_path / "no_meta_part_1.jsonl"
    oscar.write_bytes(line + b"\n")
    _, _, [record] = run_extract(tmp_path, "oscar", [oscar])
    assert record["reason"] == "invalid-utf8"
    assert record["raw"].encode("utf-8", "surrogateescape") == line


def test_a_link_out_of_a_folder_source_is_refused(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("Ein tekst som høyrer til kjelda.\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("Noko som ikkje høyrer til kjelda.\n")
    (folder / "b.txt").symlink_to(secret)
    with pytest.raises(InputError, match=r"b\.txt is a link to .*secret\.txt, outside the folder"):
        run_extract(tmp_path, "text", [folder])
    (folder / "b.txt").unlink()
    (folder / "c.txt").symlink_to(folder / "a.txt")  # a link inside the folder is the folder's
    _, docs, _ = run_extract(tmp_path, "text", [folder])
    assert len(docs) == 2


SMALL = "Ein kort tekst som er heilt vanleg. " * 3
LARGE = "Ein lang tekst, mykje lengre enn grensa for eitt dokument. " * 1200  # 70 kB
WIKI_PAGE = "<page><title>{0}</title><ns>0</ns><id>{0}</id><revision><id>1</id><text>{1}</text></revision></page>"


def too_large_inputs(tmp_path, kind):
    """Inputs of a reader kind with one small and one large record, the large one's raw bytes."""
    if kind in ("text", "html"):
        folder = tmp_path / "in"
        folder.mkdir()
        ext = ".txt" if kind == "text" else ".html"
        wrap = (lambda t: t) if kind == "text" else (lambda t: f"<html><body><p>{t}</p></body></html>")
        (folder / f"a{ext}").write_text(wrap(SMALL))
        (folder / f"b{ext}").write_text(wrap(LARGE))
        return folder, wrap(LARGE).encode()
    if kind == "oscar":
        path = tmp_path / "nn_meta_part_1.jsonl"
        large = json.dumps({"content": LARGE}).encode()
        path.write_bytes(json.dumps({"content": SMALL}).encode() + b"\n" + large + b"\n")
        return path, large
    if kind == "oscar2019":
        path = tmp_path / "nn_dedup.txt.gz"
        large = (LARGE[:700] + "\n").encode() * 100  # a document of many lines
        path.write_bytes(gzip.compress(SMALL.encode() + b"\n\n" + large))
        return path, large
    path = tmp_path / "nnwiki-pages-articles.xml"
    path.write_text(f"<mediawiki>{WIKI_PAGE.format(1, SMALL)}{WIKI_PAGE.format(2, LARGE)}</mediawiki>")
    return path, LARGE.encode()


@pytest.mark.parametrize("kind", ["text", "html", "oscar", "oscar2019", "wikipedia"])
def test_a_record_over_max_document_mb_is_set_aside_with_its_head(tmp_path, kind):
    path, large = too_large_inputs(tmp_path, kind)
    stats, docs, rejected = run_extract(tmp_path, kind.removesuffix("2019"), [path], max_bytes=20_000)
    check_balance(stats)
    assert [d["text"].strip() for d in docs] == [SMALL.strip()]
    [record] = rejected
    assert record["reason"] == "too-large" and "more than 20000 bytes" in record["detail"]
    assert large.startswith(record["raw"].encode("utf-8", "surrogateescape")) and len(record["raw"]) > 20_000
    _, docs, _ = run_extract(tmp_path, kind.removesuffix("2019"), [path])  # no limit: both read
    assert len(docs) == 2


def test_a_wiki_page_without_prose_is_counted_and_lists_reach_the_reader(tmp_path):
    path = tmp_path / "nnwiki-pages-articles.xml"
    year = "== Hendingar ==\n* 1. mai: noko hende\n* Endå ei hending"
    path.write_text(f"<mediawiki>{WIKI_PAGE.format(1, SMALL)}{WIKI_PAGE.format(2, year)}</mediawiki>")
    stats, docs, rejected = run_extract(tmp_path, "wikipedia", [path])
    check_balance(stats)
    assert len(docs) == 1 and [r["reason"] for r in rejected] == ["no-prose"]
    assert stats["documents"]["dropped"] == {"no-prose": 1}
    assert stats["words"]["dropped"] == {"no-prose": len(year.split())}  # its wikitext, as other rejections
    stats, docs, rejected = run_extract(tmp_path, "wikipedia", [path], reader_options={"lists": "all"})
    assert len(docs) == 2 and not rejected


def test_a_job_log_keeps_the_traceback_of_an_unexpected_error(tmp_path):
    log = tmp_path / "job.log"
    with pytest.raises(ValueError):
        with rule_log(str(log)):
            print("working", file=sys.stderr)
            raise ValueError("not an input error")
    text = log.read_text()
    assert "working" in text and "Traceback" in text and "ValueError: not an input error" in text


def test_an_input_error_is_one_line_in_the_log_and_on_the_console(tmp_path, capsys):
    log = tmp_path / "job.log"
    with pytest.raises(SystemExit):
        with rule_log(str(log)):
            raise InputError("x.bz2: truncated")
    assert "smie: error: x.bz2: truncated" in log.read_text()
    assert capsys.readouterr().err.strip() == "smie: error: x.bz2: truncated"


def test_a_source_without_documents_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty/README.md").write_text("no text files here\n")
    config = {"sources": {"nothing": {"kind": "text", "path": str(tmp_path / "empty")}}}
    (tmp_path / "c.yaml").write_text(json.dumps(config))
    proc = snakemake("extract_nothing", "--configfile", str(tmp_path / "c.yaml"), "--directory", str(tmp_path / "run"),
                     "--cores", "1")
    warning = f"smie: warning: source nothing gave no documents from {tmp_path / 'empty'} (read 0 records"
    assert warning in proc.stderr
    log = (tmp_path / "run/logs/extract/nothing.log").read_text()
    assert warning in log and "smie: warning: nothing: empty gave no documents (0 records" in log


FLAKY_SNAKEFILE = """
import sys
sys.path.insert(0, {repo!r})
from smie.rules import rule_log

rule flaky:
    output: "done.txt"
    log: "logs/flaky.log"
    resources: attempt=lambda wildcards, attempt: attempt
    run:
        with rule_log(log[0]):
            print(f"attempt {{resources.attempt}} working", file=sys.stderr)
            if resources.attempt == 1:
                raise RuntimeError("the first attempt fails")
            open(output[0], "w").write("ok")
"""


def test_a_retry_keeps_the_earlier_attempts_log(tmp_path):
    (tmp_path / "Snakefile").write_text(FLAKY_SNAKEFILE.format(repo=str(REPO)))
    snakemake("--snakefile", str(tmp_path / "Snakefile"), "--directory", str(tmp_path), "--cores", "1",
              "--retries", "1", cwd=tmp_path)
    log = (tmp_path / "logs/flaky.log").read_text()
    assert "attempt 2 working" in log and "attempt 1" not in log  # Snakemake deleted the first attempt's log
    attempts = (tmp_path / "logs/flaky.attempts.log").read_text()
    assert attempts.count("--- attempt started") == 2
    first, second = attempts.split("--- attempt started")[1:]
    assert "attempt 1 working" in first and "RuntimeError: the first attempt fails" in first
    assert "attempt 2 working" in second
