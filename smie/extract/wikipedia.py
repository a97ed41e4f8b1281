"""Reader for MediaWiki XML dumps (``.xml``, ``.xml.bz2``, ``.xml.gz``, ``.xml.zst``).

Pages are parsed one at a time (``iterparse``; the tree is cleared after each page,
so memory does not grow with the dump). Only articles (namespace 0) that are not
redirects become documents; the others are yielded as Rejected ``redirect`` or
``namespace-<n>`` with no raw text. The wikitext of the latest revision is cleaned
by :mod:`smie.extract.wikitext` (wikiextractor, without template expansion, and
passes of our own): templates, references, tables, categories, files, formulas,
code and markup go; link labels, bold and italic text, section headings and, by
the ``lists`` option, list items stay. A heading becomes a paragraph of its own;
headings of sections without any text are dropped. A page with headings or list
items but no paragraph of text left is Rejected ``no-prose``, one with nothing at
all ``empty``.

Id ``<source>/<page id>``; meta ``title``, ``page_id``, ``revision_id``, ``timestamp``,
``url`` (from the siteinfo ``<base>``), ``dbname``. :func:`read` opens the file,
:func:`pages` is the page loop over an open stream.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import quote

from smie.archives import open_decompressed
from smie.documents import Document, InputError, Rejected, too_large
from smie.extract.plaintext import document_or_empty
from smie.extract.wikitext import DEFAULT_LISTS, clean_wikitext

_REDIRECT_TEXT = re.compile(r"\s*#\s*(REDIRECT|OMDIRIGERING)\b", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(elem: ET.Element, name: str) -> ET.Element | None:
    for c in elem:
        if _local(c.tag) == name:
            return c
    return None


def _child_text(elem: ET.Element | None, name: str) -> str | None:
    if elem is None:
        return None
    c = _child(elem, name)
    return c.text if c is not None else None


def _as_int(value: str | None) -> int | str | None:
    if value is not None and value.strip().isdigit():
        return int(value)
    return value


def page_url(base: str | None, title: str) -> str | None:
    """Article URL from the siteinfo ``<base>`` (the main page's URL) and a title."""
    if not base:
        return None
    prefix = base.rsplit("/", 1)[0] + "/"
    return prefix + quote(title.replace(" ", "_"), safe="/:()',!*@;$+=~-._")


class _SiteInfo:
    def __init__(self) -> None:
        self.base: str | None = None
        self.dbname: str | None = None
        self.namespaces: dict[str, int] = {}

    def read(self, elem: ET.Element) -> None:
        self.base = _child_text(elem, "base")
        self.dbname = _child_text(elem, "dbname")
        spaces = _child(elem, "namespaces")
        if spaces is not None:
            for ns in spaces:
                key = ns.get("key")
                if ns.text and key and key.lstrip("-").isdigit():
                    self.namespaces[ns.text] = int(key)

    def namespace_of(self, title: str) -> int:
        """Namespace from a title's prefix, for exports without ``<ns>``."""
        if ":" in title:
            prefix = title.split(":", 1)[0]
            return self.namespaces.get(prefix, 0)
        return 0


def _page(elem: ET.Element, site: _SiteInfo, source: str, max_bytes: int | None,
          lists: str) -> Document | Rejected:
    title = _child_text(elem, "title") or ""
    page_id = (_child_text(elem, "id") or "").strip()
    doc_id = f"{source}/{page_id or title}"
    ns_text = _child_text(elem, "ns")
    if ns_text is not None and ns_text.strip().lstrip("-").isdigit():
        ns = int(ns_text)
    else:
        ns = site.namespace_of(title)
    if ns != 0:
        return Rejected(doc_id, f"namespace-{ns}", title)
    revision = None
    for c in elem:
        if _local(c.tag) == "revision":
            revision = c  # the last one is the latest
    wikitext = (_child_text(revision, "text") or "") if revision is not None else ""
    if _child(elem, "redirect") is not None or _REDIRECT_TEXT.match(wikitext):
        return Rejected(doc_id, "redirect", title)
    # a character is at most 4 bytes: most pages are not encoded to be measured
    if max_bytes is not None and len(wikitext) > max_bytes // 4 and len(raw := wikitext.encode()) > max_bytes:
        return too_large(doc_id, max_bytes, raw)
    meta = {
        "title": title,
        "page_id": _as_int(page_id),
        "revision_id": _as_int(_child_text(revision, "id")),
        "timestamp": _child_text(revision, "timestamp"),
        "url": page_url(site.base, title),
        "dbname": site.dbname,
    }
    try:
        cleaned = clean_wikitext(wikitext, title, page_id, lists)
    except Exception as exc:  # wikiextractor chokes on some odd markup
        return Rejected(doc_id, "clean-failed", f"{type(exc).__name__}: {exc}", wikitext)
    if not cleaned.paragraphs and (cleaned.headings or cleaned.items):
        # a year or list page: headings over lists that are not kept (lists: drop or prose)
        return Rejected(doc_id, "no-prose", f"no paragraph of text, only {cleaned.headings} headings "
                        f"and {cleaned.items} list items", wikitext)
    return document_or_empty(doc_id, source, cleaned.paragraphs, meta, raw=wikitext)


def read(path: Path, source: str, max_bytes: int | None = None, *,
         lists: str = DEFAULT_LISTS) -> Iterator[Document | Rejected]:
    """The pages of a dump; a page's wikitext is held whole (as the XML parser gives it),
    and one over ``max_bytes`` is set aside before wikiextractor multiplies it. ``lists``:
    which list items are kept (``drop``, ``prose`` or ``all``; see smie.extract.wikitext)."""
    path = Path(path)
    with open_decompressed(path) as stream:
        yield from pages(stream, path, source, max_bytes, lists)


def pages(stream: BinaryIO, path: Path, source: str, max_bytes: int | None = None,
          lists: str = DEFAULT_LISTS) -> Iterator[Document | Rejected]:
    """The pages of an open XML stream (``path`` names it in errors): the loop apart
    from the opening of the file, for readers of parts of a dump."""
    site = _SiteInfo()
    root = None
    depth = 0
    try:
        for event, elem in ET.iterparse(stream, events=("start", "end")):
            if event == "start":
                if root is None:
                    root = elem
                    if _local(root.tag) != "mediawiki":
                        raise InputError(
                            f"{path}: not a MediaWiki XML export (root element "
                            f"<{_local(root.tag)}>)"
                        )
                depth += 1
                continue
            depth -= 1
            if depth != 1:
                continue  # only the children of <mediawiki> are handled
            name = _local(elem.tag)
            if name == "siteinfo":
                site.read(elem)
            elif name == "page":
                yield _page(elem, site, source, max_bytes, lists)
            root.clear()  # drop the finished page: memory stays flat
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(
            f"{path}: malformed XML at line {line}, column {column}: {str(exc).split(':')[0]}"
        ) from exc
