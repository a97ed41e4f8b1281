"""The extract stage: read a source's files, write document shards, account for all."""

from __future__ import annotations

import functools
import gzip
import shutil
import sys
from pathlib import Path
from typing import Sequence

from tqdm import tqdm

from smie import stats as stage_stats
from smie.documents import InputSummary, Rejected, ShardedWriter, open_gzip_writer, word_count
from smie.extract import READERS, multistream
from smie.stats import StageStats


def extract(
    inputs: Sequence[str | Path],
    *,
    kind: str,
    source: str,
    lang_hint: str | None,
    max_document_bytes: int | None = None,
    reader_options: dict | None = None,
    streams: tuple[int, int] | None = None,
    shard_paths: Sequence[str | Path],
    stats_path: str | Path,
    rejected_path: str | Path,
) -> StageStats:
    """Extract every input of a source into ``shard_paths``.

    Documents go to the shards, every other record to ``rejected_path`` with its
    reason, and ``stats_path`` counts both. An unusable input raises InputError
    (naming the file) and the job fails; Snakemake then removes the partial outputs.
    A record over ``max_document_bytes`` (None: no limit) is set aside as too-large.
    The stats' ``inputs`` count documents and records per input file and per
    container a reader summarises (a nested archive); one that gave no document is
    also a warning in the job's log. ``reader_options`` go to the reader as keywords:
    those of its kind only (``Config.extract``), such as the Wikipedia reader's
    ``lists``. With ``streams`` (k, n), ``inputs`` are a multistream Wikipedia dump
    and its index, and only the k-th of n runs of the dump's page streams is read.
    """
    read = READERS[kind]
    if streams is not None:  # range k of n of a multistream dump's streams, by its index
        (dump, index), (k, n) = inputs, streams
        inputs, read = [dump], functools.partial(multistream.read_part, index=Path(index), part=k, parts=n)
    stats = StageStats("extract", source)
    containers: dict[str, dict] = {}  # input file or nested container -> what it gave
    with ShardedWriter(shard_paths) as shards, open_gzip_writer(rejected_path) as rejected:
        for path in inputs:
            kept, records = 0, 0
            for record in tqdm(read(Path(path), source, max_document_bytes, **(reader_options or {})),
                               desc=Path(path).name, unit=" records", mininterval=5):
                if isinstance(record, InputSummary):
                    containers[record.path] = {"documents": record.documents, "records": record.records}
                    continue
                records += 1
                if isinstance(record, Rejected):
                    rejected.write(record.to_json() + "\n")
                    stats.dropped(record.reason, word_count(record.raw or ""))
                    continue
                if lang_hint and "lang_hint" not in record.meta:
                    record.meta["lang_hint"] = lang_hint
                try:
                    shards.write(record)  # encoded at once: a failure writes nothing
                    stats.kept(word_count(record.text))
                    kept += 1
                except UnicodeEncodeError as error:
                    # a lone surrogate (a JSON "\ud800" escape): no UTF-8 text can hold it;
                    # the whole document, meta included, goes to the audit file as JSON
                    rejected.write(Rejected(record.id, "invalid-unicode", str(error), record.to_json()).to_json() + "\n")
                    stats.dropped("invalid-unicode", word_count(record.text))
            containers[Path(path).name] = {"documents": kept, "records": records}
    stats.extra["inputs"] = dict(sorted(containers.items()))
    for name, counts in stats.extra["inputs"].items():
        if not counts["documents"]:  # a wrong path or a misread layout: say so where it is seen
            print(f"smie: warning: {source}: {name} gave no documents ({counts['records']} records, "
                  f"see {rejected_path})", file=sys.stderr)
    stats.write(stats_path)
    return stats


def merge_parts(
    part_shards: Sequence[Sequence[str | Path]],
    part_stats: Sequence[str | Path],
    part_rejected: Sequence[str | Path],
    *,
    shard_paths: Sequence[str | Path],
    stats_path: str | Path,
    rejected_path: str | Path,
) -> dict:
    """A source extracted in parts, as one: every shard (and the rejected records) the
    parts' in part order, compressed again the same way, so that the files equal, byte
    for byte, those of one job reading the parts' inputs in that order."""
    for k, path in enumerate(shard_paths):
        _concatenate([shards[k] for shards in part_shards], path)
    _concatenate(part_rejected, rejected_path)
    merged = stage_stats.merge([stage_stats.load(p) for p in part_stats])
    stage_stats.write(merged, stats_path)
    return merged


def _concatenate(paths: Sequence[str | Path], out: str | Path) -> None:
    with open_gzip_writer(out) as writer:
        for path in paths:
            with gzip.open(path, "rt", encoding="utf-8", newline="\n") as f:
                shutil.copyfileobj(f, writer, 2**20)
