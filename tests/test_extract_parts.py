"""A source extracted in parallel parts gives, once merged, the very bytes of one job
reading it whole."""

import bz2
import filecmp
import gzip
import json

import pytest

from conftest import DEMO_CONFIG, SHARED_DATA, snakemake, write_config
from fixtures_readers import multistream, wiki_page
from smie.documents import InputError
from smie.extract.run import extract, merge_parts

REAL_DUMP = SHARED_DATA / "formats/wikipedia/enwiki-shortened-multistream.xml.bz2"
SINGLE_STREAM = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"

NAK = [DEMO_CONFIG.parent / "corpora/nak/norsk_aviskorpus.zip", DEMO_CONFIG.parent / "corpora/nak/nak_2012.tar"]


def outputs(where, shards=3):
    where.mkdir(parents=True)
    return dict(shard_paths=[where / f"{k:04d}.jsonl.gz" for k in range(shards)], stats_path=where / "stats.json",
                rejected_path=where / "rejected.jsonl.gz")


def run(inputs, out, **kw):
    kind = kw.pop("kind", "nak")
    options = {"reader_options": {"lists": "prose"}} if kind == "wikipedia" else {}
    extract(inputs, kind=kind, source="s", lang_hint=None, max_document_bytes=2**24, **options, **kw, **out)
    return out


def assert_same_files(a, b):
    for x, y in zip([*a["shard_paths"], a["stats_path"], a["rejected_path"]],
                    [*b["shard_paths"], b["stats_path"], b["rejected_path"]]):
        assert filecmp.cmp(x, y, shallow=False), (x, y)


def merged(parts, out):
    merge_parts([p["shard_paths"] for p in parts], [p["stats_path"] for p in parts],
                [p["rejected_path"] for p in parts], **out)
    return out


def test_files_read_in_parts_merge_to_the_bytes_of_one_job(tmp_path):
    whole = run(NAK, outputs(tmp_path / "whole"))
    parts = [run([path], outputs(tmp_path / f"part{i}")) for i, path in enumerate(NAK)]
    assert_same_files(merged(parts, outputs(tmp_path / "merged")), whole)
    assert (tmp_path / "whole/rejected.jsonl.gz").stat().st_size > 20  # something was rejected: compared too


WIKI_PAGES = [wiki_page(f"Side {i}", i, f"Side {i} handler om tall nummer {i}.\n\n== Del ==\nMer om {i}.",
                        ns=4 if i % 9 == 0 else 0) for i in range(1, 48)]


def wiki(tmp_path, pages=WIKI_PAGES, per_stream=5):
    dump, index = multistream(pages, per_stream)
    (tmp_path / "multistream.xml.bz2").write_bytes(dump)
    (tmp_path / "index.txt.bz2").write_bytes(index)
    return [tmp_path / "multistream.xml.bz2", tmp_path / "index.txt.bz2"]


@pytest.mark.parametrize("parts", [2, 3, 10, 12])  # 10 streams: 12 parts leave two without pages
def test_a_multistream_dump_read_in_ranges_of_streams_merges_to_one_job_reading_it(tmp_path, parts):
    dump, index = wiki(tmp_path)
    whole = run([dump], outputs(tmp_path / "whole"), kind="wikipedia")
    ranges = [run([dump, index], outputs(tmp_path / f"part{k}"), kind="wikipedia", streams=(k, parts))
              for k in range(parts)]
    assert_same_files(merged(ranges, outputs(tmp_path / "merged")), whole)
    assert json.loads((tmp_path / "whole/stats.json").read_text())["documents"]["kept"] == 42


@pytest.mark.skipif(not REAL_DUMP.is_file(), reason=f"real multistream sample not found: {REAL_DUMP} "
                                                    "(set SMIE_SHARED_DATA)")
def test_the_real_multistream_sample_in_parts(tmp_path):
    index = REAL_DUMP.with_name("enwiki-shortened-multistream-index.txt.bz2")
    whole = run([REAL_DUMP.with_name(SINGLE_STREAM)], outputs(tmp_path / "single-stream"), kind="wikipedia")
    ranges = [run([REAL_DUMP, index], outputs(tmp_path / f"part{k}"), kind="wikipedia", streams=(k, 3))
              for k in range(3)]
    merged(ranges, outputs(tmp_path / "merged"))
    for k in range(3):  # the same documents as the single-stream file, in the same order
        assert gzip.decompress((tmp_path / f"merged/{k:04d}.jsonl.gz").read_bytes()) == \
            gzip.decompress((tmp_path / f"single-stream/{k:04d}.jsonl.gz").read_bytes())
    assert json.loads((tmp_path / "merged/stats.json").read_text())["documents"]["kept"] == 105


def test_a_broken_index_names_the_file(tmp_path):
    dump, index = wiki(tmp_path)
    index.write_bytes(bz2.compress(b"12:1:Side 1\nnot an index line\n"))
    with pytest.raises(InputError, match=r"index\.txt\.bz2: line 2 is not '<offset>:<page id>:<title>'"):
        run([dump, index], outputs(tmp_path / "p"), kind="wikipedia", streams=(0, 2))
    index.write_bytes(bz2.compress(b"3:1:Side 1\n"))
    with pytest.raises(InputError, match=r"multistream\.xml\.bz2: the bytes before the first offset"):
        run([dump, index], outputs(tmp_path / "q"), kind="wikipedia", streams=(0, 2))


def test_snakemake_extracts_a_dump_in_parallel_parts_to_the_same_shards(tmp_path):
    dump, index = wiki(tmp_path)
    shards = {}
    for parts in (1, 3):
        run_dir = tmp_path / f"run{parts}"
        spec = {"url": dump.as_uri(), "index": {"url": index.as_uri()}, "parts": parts}
        config = {"sources": {"wiki": {"kind": "wikipedia", "shards": 2, "files": [spec]}}}
        write_config(config, tmp_path / f"c{parts}.yaml")
        proc = snakemake("extract", "--configfile", str(tmp_path / f"c{parts}.yaml"), "--directory", str(run_dir),
                         "--cores", "2")
        shards[parts] = {p.name: p.read_bytes() for p in (run_dir / "results/extract/wiki").glob("*.*")}
        assert not list(run_dir.glob("results/extract/wiki/parts/*/*"))  # the parts' files were temporary
    assert "extract_wiki_part" in proc.stdout + proc.stderr
    assert sorted(shards[3]) == ["0000.jsonl.gz", "0001.jsonl.gz", "rejected.jsonl.gz", "stats.json"]
    assert shards[3] == shards[1]
