"""Documents between stages: gzip-compressed JSON Lines shards.

One line per document, ``{"id", "source", "lang", "text", "meta"}``; paragraphs of
``text`` are separated by newlines. Shards are written deterministically (gzip
mtime 0, sorted keys), so rerunning a stage on the same input gives identical bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator


@dataclass
class Document:
    id: str
    source: str
    text: str
    lang: str | None = None
    meta: dict = field(default_factory=dict)

    def to_json(self) -> str:
        # a plain dict: asdict() would deep-copy meta (OSCAR's is large) only to serialise it
        return json.dumps({"id": self.id, "source": self.source, "text": self.text, "lang": self.lang,
                           "meta": self.meta}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> "Document":
        return cls(**json.loads(line))


@dataclass
class Rejected:
    """A record a reader could not (or should not) turn into a document.

    Rejected records are counted by ``reason`` and written to the stage's audit
    file, never silently dropped. ``raw`` holds what could be read of a malformed
    record, so nothing of the input is lost; it is None for records left out by
    design (a redirect page, a template page). Bytes that are not UTF-8 are kept as
    surrogate escapes (written as JSON ``\\udcXX``): ``raw.encode("utf-8",
    "surrogateescape")`` gives the original bytes back.
    """

    id: str
    reason: str
    detail: str = ""
    raw: str | None = None

    def to_json(self) -> str:
        line = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: kept as JSON escapes, recoverable
            line = json.dumps(asdict(self), ensure_ascii=True, sort_keys=True)
        return line


@dataclass
class InputSummary:
    """What one container of records gave: a nested archive, or a file or member
    that holds many articles. A reader yields one after the container's records, so
    that a misread layout shows as a container with no documents, not as one record."""

    path: str
    documents: int
    records: int


AUDIT_HEAD_BYTES = 64 * 1024  # of a too-large record, what the audit file keeps


def too_large(doc_id: str, max_bytes: int, head: bytes) -> Rejected:
    """A record larger than its source's ``max_document_mb``, set aside with its first
    64 KiB (bytes kept recoverably, as for invalid UTF-8)."""
    return Rejected(doc_id, "too-large", f"more than {max_bytes} bytes (max_document_mb)",
                    head[:AUDIT_HEAD_BYTES].decode("utf-8", "surrogateescape"))


class InputError(Exception):
    """A whole input file is unusable (corrupt archive, malformed XML, hostile tar).

    The message always names the file and says what is wrong with it.
    """


def word_count(text: str) -> int:
    return len(text.split())


def open_gzip_writer(path: str | Path) -> io.TextIOWrapper:
    """A text handle writing deterministic gzip (no timestamp, no file name)."""
    raw = open(path, "wb")
    gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
    return _OwningTextWrapper(gz, raw)


class _OwningTextWrapper(io.TextIOWrapper):
    """TextIOWrapper that also closes the underlying raw file."""

    def __init__(self, gz: gzip.GzipFile, raw):
        super().__init__(gz, encoding="utf-8", newline="\n")
        self._raw = raw

    def close(self):
        try:
            super().close()
        finally:
            self._raw.close()


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """The records of a JSON Lines file: gzip (the shards) or plain (training logs)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def read_documents(path: str | Path) -> Iterator[Document]:
    for record in read_jsonl(path):
        yield Document(**record)


def shard_of(doc_id: str, n_shards: int) -> int:
    """Stable shard index of a document id (independent of Python's hash seed)."""
    digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % n_shards


class ShardedWriter:
    """Spread documents over ``len(paths)`` shards by a stable hash of their id."""

    def __init__(self, paths: Iterable[str | Path]):
        self.paths = [Path(p) for p in paths]
        if not self.paths:
            raise ValueError("ShardedWriter needs at least one shard path")
        for p in self.paths:
            p.parent.mkdir(parents=True, exist_ok=True)
        self._files = [open_gzip_writer(p) for p in self.paths]

    def write(self, doc: Document) -> None:
        self._files[shard_of(doc.id, len(self._files))].write(doc.to_json() + "\n")

    def close(self) -> None:
        for f in self._files:
            f.close()

    def __enter__(self) -> "ShardedWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
