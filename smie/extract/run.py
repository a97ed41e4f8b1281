"""The extract stage: read a source's files, write document shards, account for all."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from tqdm import tqdm

from smie.documents import Document, Rejected, ShardedWriter, open_gzip_writer, word_count
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
    ``reader_options`` go to the reader as keywords: those of its kind only
    (``Config.extract``), such as the Wikipedia reader's ``lists``.
    """
    read = READERS[kind]
    stats = StageStats("extract", source)
    with ShardedWriter(shard_paths) as shards, open_gzip_writer(rejected_path) as rejected:
        for path in inputs:
            records = tqdm(read(Path(path), source, max_document_bytes, **(reader_options or {})), desc=Path(path).name, unit=" records", mininterval=5)
            for record in records:
                if isinstance(record, Rejected):
                    rejected.write(record.to_json() + "\n")
                    stats.dropped(record.reason, word_count(record.raw or ""))
                    continue
                if lang_hint and "lang_hint" not in record.meta:
                    record.meta["lang_hint"] = lang_hint
                try:
                    shards.write(record)  # encoded at once: a failure writes nothing
                    stats.kept(word_count(record.text))
                except UnicodeEncodeError as error:
                    # a lone surrogate (a JSON "\ud800" escape): no UTF-8 text can hold it;
                    # the whole document, meta included, goes to the audit file as JSON
                    rejected.write(Rejected(record.id, "invalid-unicode", str(error), record.to_json()).to_json() + "\n")
                    stats.dropped("invalid-unicode", word_count(record.text))
    stats.write(stats_path)
    return stats
