"""Reader for MediaWiki XML dumps (``.xml``, ``.xml.bz2``, ``.xml.gz``, ``.xml.zst``).

Pages are parsed one at a time (``iterparse``; the tree is cleared after each page,
so memory does not grow with the dump). Only articles (namespace 0) that are not
redirects become documents; the others are yielded as Rejected ``redirect`` or
``namespace-<n>`` with no raw text. The wikitext of the latest revision is cleaned
with wikiextractor, without template expansion: templates, references, tables,
categories, files and images, lists and markup go; link labels, bold and italic
text (without the quotes wikiextractor would put around italics) and section
headings stay; the empty brackets and math placeholders that dropped templates
and formulas leave behind are tidied away. A heading becomes a paragraph of its own (without the
full stop wikiextractor appends to it); headings of sections without any text are
dropped.

Id ``<source>/<page id>``; meta ``title``, ``page_id``, ``revision_id``, ``timestamp``,
``url`` (from the siteinfo ``<base>``), ``dbname``.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from wikiextractor.extract import Extractor

from smie.archives import open_decompressed
from smie.documents import Document, InputError, Rejected, too_large
from smie.extract.plaintext import document_or_empty

# wikiextractor logs every template problem of every page; its aggregate is of no
# use here (templates are never expanded).
logging.getLogger("wikiextractor").setLevel(logging.ERROR)

_REDIRECT_TEXT = re.compile(r"\s*#\s*(REDIRECT|OMDIRIGERING)\b", re.IGNORECASE)
_HEADING_MARK = "## "
_PLACEHOLDER = re.compile(r"\b(?:formula|codice)_\d+\b")
_EMPTY_BRACKETS = re.compile(r"\([,;:.\s]*\)|\[[,;:.\s]*\]")  # one class: linear on long runs
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]])")
# Bold and italic quotes, stripped before wikiextractor sees them (it would turn
# italics into double quotes, which are not part of the article's text).
_EMPHASIS = [re.compile(r"'{5}(.+?)'{5}"), re.compile(r"'{3}(.+?)'{3}"), re.compile(r"'{2}(.+?)'{2}")]


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


def clean_wikitext(wikitext: str, title: str = "", page_id=0) -> list[str]:
    """Paragraphs of cleaned wikitext (headings as paragraphs of their own)."""
    wikitext = _drop_comments(wikitext)
    if "==" in wikitext:
        wikitext = "\n".join(_heading(line) if line.startswith("==") else line for line in wikitext.split("\n"))
    for pattern in _EMPHASIS:
        wikitext = pattern.sub(r"\1", wikitext)
    extractor = Extractor(page_id, 0, "", title, [])
    lines = extractor.clean_text(wikitext, mark_headers=True, expand_templates=False,
                                 html_safe=False)
    paragraphs = []
    for line in lines:
        if line.startswith(_HEADING_MARK):
            line = line[len(_HEADING_MARK):]
            if line.endswith("."):  # wikiextractor's own addition to a heading
                line = line[:-1]
        paragraphs.append(_tidy(line))
    return paragraphs


def _drop_comments(wikitext: str) -> str:
    """Without ``<!-- comments -->``; an unclosed one hides the rest of the page, as in
    MediaWiki. A scan: wikiextractor's regular expression is quadratic in unclosed ones."""
    parts, pos = [], 0
    while (start := wikitext.find("<!--", pos)) != -1:
        parts.append(wikitext[pos:start])
        end = wikitext.find("-->", start + 4)
        pos = len(wikitext) if end == -1 else end + 3
    parts.append(wikitext[pos:])
    return "".join(parts)


def _heading(line: str) -> str:
    """A line starting with "==" in the plain form ``== Title ==`` (level at most 6, as
    in MediaWiki): wikiextractor's heading pattern is cubic in a long run of "="."""
    bare = line.rstrip()
    lead = len(bare) - len(bare.lstrip("="))
    trail = len(bare) - len(bare.rstrip("="))
    if lead == len(bare):
        return ""  # nothing but "="
    title = " ".join(bare[lead : len(bare) - trail].split())
    if trail < 2:
        return "==" + title  # not a heading: text that starts with "=="
    marks = "=" * min(lead, trail, 6)
    return f"{marks} {title} {marks}"


def _tidy(line: str) -> str:
    """Remove what dropped templates and math leave behind: ``()``, ``formula_1``."""
    line = _PLACEHOLDER.sub("", line)
    line = _EMPTY_BRACKETS.sub("", line)
    line = " ".join(line.split())
    return _SPACE_BEFORE_PUNCT.sub(r"\1", line)


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


def _page(elem: ET.Element, site: _SiteInfo, source: str, max_bytes: int | None) -> Document | Rejected:
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
        paragraphs = clean_wikitext(wikitext, title, page_id)
    except Exception as exc:  # wikiextractor chokes on some odd markup
        return Rejected(doc_id, "clean-failed", f"{type(exc).__name__}: {exc}", wikitext)
    return document_or_empty(doc_id, source, paragraphs, meta, raw=wikitext)


def read(path: Path, source: str, max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    """The pages of a dump; a page's wikitext is held whole (as the XML parser gives it),
    and one over ``max_bytes`` is set aside before wikiextractor multiplies it."""
    path = Path(path)
    site = _SiteInfo()
    with open_decompressed(path) as stream:
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
                    yield _page(elem, site, source, max_bytes)
                root.clear()  # drop the finished page: memory stays flat
        except ET.ParseError as exc:
            line, column = exc.position
            raise InputError(
                f"{path}: malformed XML at line {line}, column {column}: {str(exc).split(':')[0]}"
            ) from exc
