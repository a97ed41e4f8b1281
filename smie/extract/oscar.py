"""Reader for OSCAR corpora.

* OSCAR 2019, ``*.txt[.gz]``: UTF-8, a document is a block of lines (one
  paragraph per line), documents are separated by a blank line. Id
  ``<source>/<file name>/<0-based document index>``; no meta (the language is
  only in the file name, ``no``/``nn``, so the source's configured hint applies).
* OSCAR 22.01 and 23.01, JSON Lines (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``):
  one document per line, ``{"content", "warc_headers", "metadata"}``. Id
  ``<source>/<file name>/<0-based line index>``. ``warc_headers`` and ``metadata``
  are kept in meta; 22.01's ``metadata.annotation`` is also given as
  ``metadata.quality_warnings`` (the 23.01 name). ``meta["lang_hint"]`` is the
  identification label as OSCAR gives it; ``meta["url"]`` the WARC target URI.

A line that is not valid UTF-8 is Rejected ``invalid-utf8``; a line that is not a
JSON object with a string ``content`` is Rejected ``malformed-json``. Compression
is recognised by magic bytes (gzip, bzip2, xz, zstd), not by the file name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import IO, Iterator

from smie.archives import open_decompressed, peek, readline_capped
from smie.documents import Document, InputError, Rejected, too_large
from smie.extract.plaintext import document_or_empty

def _jsonl_name(name: str) -> bool:
    return re.search(r"\.jsonl?(\.(gz|zst|zstd|bz2|xz))?$", name, re.IGNORECASE) is not None


def _txt_name(name: str) -> bool:
    return re.search(r"\.txt(\.(gz|zst|zstd|bz2|xz))?$", name, re.IGNORECASE) is not None


def read(path: Path, source: str, max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    path = Path(path)
    stream = open_decompressed(path)
    with stream:
        if _jsonl_name(path.name):
            yield from _read_jsonl(stream, path, source, max_bytes)
        elif _txt_name(path.name):
            yield from _read_2019(stream, path, source, max_bytes)
        else:
            head, stream = peek(stream, 4096)
            first = head.lstrip()[:1]
            if first == b"{":
                yield from _read_jsonl(stream, path, source, max_bytes)
            else:
                raise InputError(
                    f"{path}: unknown OSCAR format (expected *.txt.gz for OSCAR 2019 or "
                    f"*.jsonl[.gz|.zst] for OSCAR 22.01/23.01)"
                )


def _lines(stream: IO[bytes], max_bytes: int | None) -> Iterator[tuple[bytes, bool]]:
    """Every line and whether it is whole (see :func:`readline_capped`)."""
    while True:
        line, whole = readline_capped(stream, max_bytes)
        if not line:
            return
        yield line, whole


def _read_2019(stream: IO[bytes], path: Path, source: str, max_bytes: int | None) -> Iterator[Document | Rejected]:
    index = 0
    block: list[bytes] = []
    size = 0  # of the block; past max_bytes, no more of it is held

    def flush() -> Document | Rejected:
        doc_id = f"{source}/{path.name}/{index}"
        data = b"".join(block)
        if max_bytes is not None and size > max_bytes:
            return too_large(doc_id, max_bytes, data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Rejected(doc_id, "invalid-utf8", str(exc), data.decode("utf-8", "surrogateescape"))
        return document_or_empty(doc_id, source, text.splitlines(), {}, raw=text)

    for line, whole in _lines(stream, max_bytes):
        if line.strip():
            if max_bytes is None or size <= max_bytes:
                block.append(line)
            size += len(line) if whole else max_bytes + 1
        elif block:
            yield flush()
            index += 1
            block, size = [], 0
    if block:
        yield flush()


def _read_jsonl(stream: IO[bytes], path: Path, source: str, max_bytes: int | None) -> Iterator[Document | Rejected]:
    for index, (line, whole) in enumerate(_lines(stream, max_bytes)):
        if not line.strip():
            continue
        doc_id = f"{source}/{path.name}/{index}"
        if not whole:
            yield too_large(doc_id, max_bytes, line)
            continue
        line = line.rstrip(b"\r\n")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Rejected(doc_id, "invalid-utf8", str(exc), line.decode("utf-8", "surrogateescape"))
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejected(doc_id, "malformed-json", str(exc), text)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("content"), str):
            yield Rejected(doc_id, "malformed-json", "no string 'content' in the record", text)
            continue
        yield document_or_empty(doc_id, source, record["content"].split("\n"),
                                _meta(record), raw=text)


def _meta(record: dict) -> dict:
    warc = record.get("warc_headers")
    warc = warc if isinstance(warc, dict) else {}
    metadata = record.get("metadata")
    metadata = dict(metadata) if isinstance(metadata, dict) else {}
    if "annotation" in metadata and "quality_warnings" not in metadata:
        metadata["quality_warnings"] = metadata["annotation"]  # 22.01 name -> 23.01 name
    meta: dict = {"warc_headers": warc, "metadata": metadata}
    ident = metadata.get("identification")
    if isinstance(ident, dict) and ident.get("label") is not None:
        meta["lang_hint"] = ident["label"]
    url = warc.get("warc-target-uri")
    if url:
        meta["url"] = url
    return meta
