"""A part of a Wikipedia multistream dump, read by its index, for parallel extraction.

A ``pages-articles-multistream.xml.bz2`` is a series of bz2 streams: the first holds
the ``<mediawiki>`` opening and ``<siteinfo>``, each next one up to 100 ``<page>``
elements, the last the closing tag. Its index (``…-multistream-index.txt.bz2``) has a
line ``<byte offset of the page's stream>:<page id>:<title>`` per page. Part k of n
reads the k-th of n runs of consecutive page streams, after the first stream (for the
siteinfo) and before a closing tag: the parts' pages, in part order, are the dump's.
"""

from __future__ import annotations

import bz2
import io
from pathlib import Path
from typing import Iterator

from smie.archives import chained, decompress_stream, open_decompressed, open_range
from smie.documents import Document, InputError, Rejected
from smie.extract import wikipedia


def stream_offsets(index: Path) -> list[int]:
    """The byte offsets of a dump's page streams, in order, from its index."""
    offsets: list[int] = []
    with open_decompressed(index) as f:
        for lineno, line in enumerate(f, 1):
            offset, sep, _ = line.partition(b":")
            if not sep or not offset.isdigit():
                raise InputError(f"{index}: line {lineno} is not '<offset>:<page id>:<title>': {line[:80]!r}")
            if not offsets or int(offset) != offsets[-1]:
                if offsets and int(offset) < offsets[-1]:
                    raise InputError(f"{index}: line {lineno}: offset {int(offset)} after {offsets[-1]}")
                offsets.append(int(offset))
    if not offsets:
        raise InputError(f"{index}: an empty index")
    return offsets


def read_part(path: Path, source: str, max_bytes: int | None = None, *, index: Path, part: int, parts: int,
              **options) -> Iterator[Document | Rejected]:
    """The pages of part ``part`` (from 0) of ``parts`` of the dump at ``path``;
    ``options`` go to the Wikipedia reader."""
    path, offsets = Path(path), stream_offsets(Path(index))
    lo, hi = len(offsets) * part // parts, len(offsets) * (part + 1) // parts
    try:
        with open_range(path, 0, offsets[0]) as f:
            head = bz2.decompress(f.read())
    except (OSError, ValueError, EOFError) as exc:
        raise InputError(f"{path}: the bytes before the first offset of {index} are not a bz2 stream: {exc}") from exc
    if b"<page>" in head:
        raise InputError(f"{path}: its first bz2 stream holds pages; only the siteinfo was expected before "
                         f"the first offset of {index}")
    pieces = [io.BytesIO(head)]
    where = f"{path}: streams from byte {offsets[lo]}" if lo < len(offsets) else str(path)
    if lo < hi:  # the last part reads to the end: the closing tag's stream too
        end = offsets[hi] if hi < len(offsets) else path.stat().st_size
        pieces.append(decompress_stream(open_range(path, offsets[lo], end), "bzip2", where))
    if lo == hi or hi < len(offsets):
        pieces.append(io.BytesIO(b"</mediawiki>\n"))
    with chained(*pieces) as stream:
        yield from wikipedia.pages(stream, Path(where), source, max_bytes, **options)
