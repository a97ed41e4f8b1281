"""Reader for plain-text files, and the text helpers the other readers share.

``text`` source: a folder, a tar/zip archive or a single ``.txt`` file. One document
per file, id ``<source>/<relative path>``; paragraphs are separated by blank lines,
single newlines inside a paragraph are joined with spaces. Folders are read in
sorted order of relative path, archives in archive order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator

from smie.archives import iter_files, read_capped
from smie.documents import Document, Rejected, too_large

UTF8 = "utf-8"
LATIN1 = "iso-8859-1"

_BLANK_LINE = re.compile(r"\n[ \t\f\v\r\u00a0]*\n")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text of ``data`` and the encoding used: strict UTF-8, else ISO-8859-1.

    Norwegian text in Latin-1 (æ, ø, å as single high bytes) is practically never
    valid UTF-8, so a successful strict UTF-8 decoding is trusted. A UTF-8 byte
    order mark is dropped.
    """
    try:
        text = data.decode(UTF8)
    except UnicodeDecodeError:
        return data.decode(LATIN1), LATIN1
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, UTF8


def clean_paragraph(text: str) -> str:
    """Whitespace runs (newlines included) collapsed to single spaces, ends stripped."""
    return " ".join(text.split())


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Document text: cleaned paragraphs, empty ones dropped, one per line."""
    cleaned = (clean_paragraph(p) for p in paragraphs)
    return "\n".join(p for p in cleaned if p)


def blank_line_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text whose paragraphs are separated by blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BLANK_LINE.split(text)


def document_or_empty(doc_id: str, source: str, paragraphs: Iterable[str], meta: dict,
                      raw: str | None = None) -> Document | Rejected:
    """A Document of the paragraphs, or Rejected ``empty`` when no text is left."""
    text = join_paragraphs(paragraphs)
    if not text:
        return Rejected(doc_id, "empty", "no text left after extraction", raw)
    return Document(doc_id, source, text, None, meta)


def read(path: Path, source: str, max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    path = Path(path)
    for rel, f in iter_files(path, (".txt",)):
        doc_id = f"{source}/{rel}"
        data, whole = read_capped(f, max_bytes)
        if not whole:
            yield too_large(doc_id, max_bytes, data)
            continue
        text, encoding = decode_bytes(data)
        meta = {"path": rel, "encoding": encoding}
        yield document_or_empty(doc_id, source, blank_line_paragraphs(text), meta, raw=text)
