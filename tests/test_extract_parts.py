"""A source extracted in parallel parts gives, once merged, the very bytes of one job
reading it whole."""

import filecmp

import pytest

from conftest import DEMO_CONFIG
from smie.extract.run import extract, merge_parts

NAK = [DEMO_CONFIG.parent / "corpora/nak/norsk_aviskorpus.zip", DEMO_CONFIG.parent / "corpora/nak/nak_2012.tar"]


def outputs(where, shards=3):
    where.mkdir(parents=True)
    return dict(shard_paths=[where / f"{k:04d}.jsonl.gz" for k in range(shards)], stats_path=where / "stats.json",
                rejected_path=where / "rejected.jsonl.gz")


def run(inputs, out, **kw):
    extract(inputs, kind=kw.pop("kind", "nak"), source="nak", lang_hint=None, max_document_bytes=2**24, **kw, **out)
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
