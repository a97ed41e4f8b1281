"""Run a per-document step over one shard, with full accounting.

A step is a function ``step(doc)`` returning the (possibly changed) document to
keep, or the reason (a short kebab-case string) it is dropped, or a kept document
with the words it lost inside, by reason: ``(doc, {"boilerplate-lines": 12})``. ``filter_shard`` applies it to
every document of a shard, writes the kept ones, the dropped ones (with their
reason) to an audit file, and the stats (in == kept + sum(dropped)).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from tqdm import tqdm

from smie.documents import Document, open_gzip_writer, read_documents, word_count
from smie.stats import StageStats

Step = Callable[[Document], "Document | str | tuple[Document, dict[str, int]]"]


def filter_shard(
    in_path: str | Path,
    out_path: str | Path,
    stats_path: str | Path,
    dropped_path: str | Path,
    *,
    stage: str,
    source: str,
    step: Step,
    audit: bool = True,
    extra: Callable[[], dict] | None = None,
) -> StageStats:
    """Keep or drop every document of ``in_path``; ``audit=False`` writes an empty audit file.

    ``extra``, called once all documents are done, adds its keys to the stats file
    (langid adds the language distribution it saw).
    """
    stats = StageStats(stage, source)
    with open_gzip_writer(out_path) as kept, open_gzip_writer(dropped_path) as dropped:
        for doc in tqdm(read_documents(in_path), desc=Path(in_path).name, unit=" docs", mininterval=5):
            words = word_count(doc.text)
            result = step(doc)
            if isinstance(result, tuple):
                result, trimmed = result
                for reason, n in trimmed.items():
                    stats.trimmed(reason, n)
                words -= sum(trimmed.values())
            if isinstance(result, Document):
                kept.write(result.to_json() + "\n")
                stats.kept(words)
            else:
                stats.dropped(result, words)
                if audit:
                    doc.meta["dropped_by"] = f"{stage}:{result}"
                    dropped.write(doc.to_json() + "\n")
    if extra is not None:
        stats.extra.update(extra())
    stats.write(stats_path)
    return stats
