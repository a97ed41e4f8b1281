"""The extract stage: read a source's files, write document shards, account for all."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from tqdm import tqdm

from smie.documents import InputSummary, Rejected, ShardedWriter, open_gzip_writer, word_count
from smie.extract import READERS
from smie.stats import StageStats


def extract(
    inputs: Sequence[str | Path],
    *,
    kind: str,
    source: str,
    lang_hint: str | None,
    max_document_bytes: int | None = None,
    reader_options: dict | None = None,
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
    also a warning in the job's log. ``reader_options`` go to the reader as keywords: those of its kind only
    (``Config.extract``), such as the Wikipedia reader's ``lists``.
    """
    read = READERS[kind]
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
