"""Reader for saved web pages (``*.html``, ``*.htm``) in a folder or a tar/zip archive.

Charset: the page's ``<meta charset>`` or ``http-equiv`` declaration (ISO-8859-1 and
ASCII read as windows-1252, as browsers do), else strict UTF-8 with an ISO-8859-1
fallback. Main text: scripts, styles, navigation, headers (but the headline in an
``<article>``'s own header is kept), footers, asides, forms, iframes, hidden elements and elements whose class or id names a cookie banner,
menu, share buttons or a related/"les også" link list are removed; then the
largest ``<article>`` is used, else ``<main>``, else ``<body>``. Every block
element (headings, p, li, blockquote, pre, td, div, ...) starts a new paragraph.

Id ``<source>/<relative path>``; meta ``path``, ``encoding``, ``title``, ``url`` (from
``<link rel="canonical">`` or ``og:url``) and ``lang_hint`` from ``<html lang>``.
"""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path
from typing import Iterator

from bs4 import BeautifulSoup, Comment, NavigableString, Tag, XMLParsedAsHTMLWarning
from bs4.element import (CData, Declaration, Doctype, ProcessingInstruction, Script, Stylesheet,
                         TemplateString)

from smie.archives import iter_files, read_capped
from smie.documents import Document, Rejected, too_large
from smie.extract.plaintext import decode_bytes, document_or_empty

# Lenient HTML parsing of XML-ish pages is deliberate.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning, module=r"smie\.extract\.html")

DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form",
    "iframe", "template", "svg", "button", "select", "textarea", "object", "embed",
)

BLOCK_TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "th",
    "div", "section", "article", "main", "ul", "ol", "dl", "dt", "dd", "table", "tr",
    "figure", "figcaption", "address", "caption", "hr", "br", "body",
})

# class/id values of boilerplate containers
BOILERPLATE = re.compile(
    r"cookie|consent|gdpr|(?:^|[-_\s])(?:main-?)?menu|navbar|(?:^|[-_\s])nav(?:$|[-_\s])|"
    r"navigation|breadcrumb|share|sharing|social|related|relaterte|les-?ogs[aå]|"
    r"read-?more|newsletter|nyhetsbrev|subscribe|paywall|advert|annonse|sidebar|popup|modal",
    re.IGNORECASE,
)
_NOT_TEXT = (Comment, Doctype, Declaration, ProcessingInstruction, CData, Script, Stylesheet, TemplateString)
_NEVER_DROP = frozenset({"html", "body", "main"})
_HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"}


def detect_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB, as a Python codec name."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "windows-1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    declared = detect_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the declaration lies; fall back to guessing
    return decode_bytes(data)


def _looks_boilerplate(tag: Tag) -> bool:
    if tag.name in _NEVER_DROP or tag.attrs is None:
        return False
    values = []
    classes = tag.get("class")
    if classes:
        values.extend(classes if isinstance(classes, list) else [classes])
    for attr in ("id", "role"):
        v = tag.get(attr)
        if v:
            values.append(v if isinstance(v, str) else " ".join(v))
    if tag.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    return any(BOILERPLATE.search(v) for v in values)


def _is_hidden(tag: Tag) -> bool:
    if tag.attrs is None or tag.name in _NEVER_DROP:
        return False
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = tag.get("style") or ""
    return re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style, re.I) is not None


_END = object()  # on the walk's stack: a block element's end


def _paragraphs(root: Tag) -> list[str]:
    """The text under ``root``, a paragraph break at each block element's start and end.
    A walk with a stack of its own: pages nest elements thousands deep."""
    paragraphs: list[str] = []
    current: list[str] = []
    stack: list = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        block = node is _END or isinstance(node, Tag) and node.name in BLOCK_TAGS
        if block and current:
            paragraphs.append("".join(current))
            current.clear()
        if isinstance(node, Tag):
            if block:
                stack.append(_END)
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, _NOT_TEXT):
            current.append(str(node))
    if current:
        paragraphs.append("".join(current))
    return paragraphs


def _walk(root: Tag, stop) -> None:
    """Call ``stop(tag)`` on every tag under ``root``, outermost first, not going into a
    tag for which it returns True. A stack of its own: pages nest tags thousands deep."""
    stack = [c for c in reversed(root.contents) if isinstance(c, Tag)]
    while stack:
        tag = stack.pop()
        if not stop(tag):
            stack.extend(c for c in reversed(tag.contents) if isinstance(c, Tag))


def _prune(root: Tag, drop) -> None:
    """Decompose every tag under ``root`` for which ``drop(tag)``, never visiting what is
    gone (linear; bs4's ``tag.decomposed`` searches the whole subtree)."""

    def stop(tag: Tag) -> bool:
        if drop(tag):
            tag.decompose()
            return True
        return False

    _walk(root, stop)


def _text_sizes(root: Tag) -> dict[int, int]:
    """``len(tag.get_text())`` of ``root`` and every tag under it, by id, in one pass
    (``get_text`` on each of thousands of nested tags is quadratic)."""
    sizes: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        tag, children_done = stack.pop()
        if children_done:
            sizes[id(tag)] = sum(sizes[id(c)] if isinstance(c, Tag) else len(c)
                                 for c in tag.contents if not isinstance(c, _NOT_TEXT))
        else:
            stack.append((tag, True))
            stack.extend((c, False) for c in tag.contents if isinstance(c, Tag))
    return sizes


def _outermost(root: Tag, name: str) -> list[Tag]:
    """The ``name`` tags under ``root`` that are not inside another one, in document order."""
    found: list[Tag] = []

    def stop(tag: Tag) -> bool:
        if tag.name == name:
            found.append(tag)
            return True
        return False

    _walk(root, stop)
    return found


def extract(html: str) -> tuple[list[str], dict]:
    """Main-text paragraphs of an HTML page and its meta (title, url, lang_hint)."""
    soup = BeautifulSoup(html, "lxml")
    meta: dict = {}
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if not title:
        og = soup.find("meta", attrs={"property": "og:title"})
        title = (og.get("content") or "").strip() if og else ""
    if title:
        meta["title"] = " ".join(title.split())
    url = None
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        rel = rel if isinstance(rel, list) else rel.split()
        if "canonical" in [r.lower() for r in rel]:
            url = link["href"].strip()
            break
    if not url:
        og = soup.find("meta", attrs={"property": "og:url"})
        if og and og.get("content"):
            url = og["content"].strip()
    if url:
        meta["url"] = url
    html_tag = soup.find("html")
    lang = html_tag.get("lang") if html_tag else None
    if isinstance(lang, str) and lang.strip():
        meta["lang_hint"] = re.split(r"[-_]", lang.strip().lower())[0]

    in_article = {id(t) for article in _outermost(soup, "article") for t in article.find_all(True)}

    def unwanted(tag: Tag) -> bool:
        if tag.name not in DROP_TAGS:
            return False
        if tag.name == "header" and id(tag) in in_article:
            # An article's own header: keep its headline, drop bylines and the like.
            for heading in tag.find_all(_HEADINGS):
                tag.insert_before(heading.extract())
        return True

    _prune(soup, unwanted)
    chars = _text_sizes(soup)
    page_chars = chars[id(soup.body or soup)]
    holds_main: set[int] = set()  # ids of the tags with a <main> inside
    for main in soup.find_all("main"):
        for parent in main.parents:
            if id(parent) in holds_main:
                break
            holds_main.add(id(parent))

    def boilerplate(tag: Tag) -> bool:
        # A class name like "has-sidebar" on the content wrapper must not take the
        # whole page with it: boilerplate widgets hold neither <main> nor
        # most of the page's text.
        if id(tag) in holds_main or not (_looks_boilerplate(tag) or _is_hidden(tag)):
            return False
        return not (chars[id(tag)] > 1000 and chars[id(tag)] > page_chars / 2)

    _prune(soup, boilerplate)

    articles = _outermost(soup, "article")  # a nested article has no more text than its outer one
    if articles:
        root = max(articles, key=lambda a: len(a.get_text(" ", strip=True)))
    else:
        root = soup.find("main") or soup.body or soup
    return _paragraphs(root), meta


def read(path: Path, source: str, max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    path = Path(path)
    for rel, f in iter_files(path, (".html", ".htm")):
        doc_id = f"{source}/{rel}"
        data, whole = read_capped(f, max_bytes)
        if not whole:
            yield too_large(doc_id, max_bytes, data)
            continue
        text, encoding = decode_html(data)
        try:
            paragraphs, page_meta = extract(text)
        except Exception as exc:  # a page so broken even a lenient parser fails
            yield Rejected(doc_id, "unparsable-html", f"{type(exc).__name__}: {exc}", text)
            continue
        meta = {"path": rel, "encoding": encoding, **page_meta}
        yield document_or_empty(doc_id, source, paragraphs, meta, raw=text)


__all__ = ["read", "extract", "decode_html", "detect_charset"]
