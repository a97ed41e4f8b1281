"""Reader for saved web pages in a folder, a tar/zip archive or a single file.

Which files: every file of the source is read or counted. A file is a page when its
name ends in ``.html`` or ``.htm`` or its content starts like HTML (pages saved as
``.php``, ``.aspx`` or without a suffix); a gzip, bzip2, xz or zstd file
(``page.html.gz``) is decompressed first, by its magic bytes. Anything else is
Rejected ``not-html``.

Charset: a byte order mark, else the charset the page declares (``<meta charset>``,
``http-equiv`` or an XML declaration, found by bs4's ``EncodingDetector``; ISO-8859-1
and ASCII read as windows-1252, as browsers do), else UTF-8. Bytes that do not decode
in it: a page that is mostly valid UTF-8 is UTF-8 with its few stray bytes replaced
(U+FFFD), whatever it declares; else a declared legacy charset with its undefined
bytes replaced; else (UTF-8 declared falsely, or nothing declared) windows-1252, or
ISO-8859-1 for the bytes windows-1252 leaves undefined.

Main text: trafilatura 2.3 (``fast``, ``favor_recall``, tables kept, comments
left out: the best of its settings on the article-extraction benchmark, see
bench/README.md). Each paragraph, heading, list item, table cell, quote and line
break of its output starts a new paragraph.

Id ``<source>/<relative path>``; meta ``path``, ``encoding``, ``title`` (``<title>``,
else ``og:title``), ``url`` (from ``<link rel="canonical">`` or ``og:url``) and
``lang_hint`` from ``<html lang>``.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path
from typing import Iterator

import lxml.html
from bs4.dammit import EncodingDetector
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor

from smie.archives import decompress_stream, iter_files, peek, read_capped, sniff_compression
from smie.documents import Document, Rejected, too_large
from smie.extract.plaintext import LATIN1, UTF8, document_or_empty

# trafilatura logs a warning or an error for every page it finds no text in
# ("discarding data", "empty HTML tree"); those pages are counted as Rejected
# ``empty`` already, and thousands of such lines would bury the job log.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

HTML_SUFFIXES = (".html", ".htm")
_COMPRESSED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst")

# Chosen on the benchmark (bench/README.md): fast (no second opinion from trafilatura's
# fallback extractors) and favor_recall score best, with no page left without text.
OPTIONS = Extractor(output_format="xml", fast=True, recall=True, comments=False, tables=True)

# What a page starts with, after blanks and an XML declaration (the WHATWG MIME
# sniffing patterns for HTML, plus <html>, <head> or <body> anywhere in its first KiB
# for pages that open with server output or a stray comment).
_SNIFF_HEAD = 1024
_HTML_START = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body"
    rb"|br|p|!--)[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(rb"<(?:html|head|body)[\s>]", re.IGNORECASE)

_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False,
                               default_doctype=False)
# libxml2 stops parsing a page at 256 nested elements, losing the rest of it; such a
# page is parsed again with its elements past this depth left out (their text kept),
# which also keeps trafilatura, recursive and slower with depth, linear and in bounds.
MAX_DEPTH = 100

# trafilatura's output elements that start (and end) a paragraph
_BLOCKS = frozenset({"p", "head", "item", "cell", "row", "list", "table", "quote", "code", "lb", "graphic"})
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "l1"}


def is_html(name: str, head: bytes) -> bool:
    """Whether a file is a page: by its name (less a compression suffix), else by its first bytes."""
    name = name.lower()
    for suffix in _COMPRESSED_SUFFIXES:
        name = name.removesuffix(suffix)
    head = head[:_SNIFF_HEAD].removeprefix(codecs.BOM_UTF8)
    return name.endswith(HTML_SUFFIXES) or bool(_HTML_START.match(head) or _HTML_TAG.search(head))


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB, as a Python codec name."""
    # The first 4 KiB only: bs4's pattern backtracks on each "<meta" without a ">".
    label = EncodingDetector.find_declared_encoding(data[:4096], is_html=True, search_entire_document=True)
    if not label:
        return None
    label = label.strip()
    if label in _WINDOWS_1252_ALIASES:
        return "windows-1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # a page whose bytes spell out the declaration is not UTF-16 or UTF-32 (browsers read it as UTF-8)
    return UTF8 if name.startswith(("utf-16", "utf-32")) else name


def _mostly_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 but for a few stray bytes: its valid non-ASCII characters
    outnumber its invalid sequences (a Latin-1 page fails on nearly every non-ASCII byte)."""
    text = data.decode(UTF8, "replace")
    bad = text.count("\ufffd") - data.decode(UTF8, "ignore").count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - bad > 2 * bad


def decode_html(data: bytes) -> tuple[str, str]:
    """Text of a page and the codec used (see the module docstring)."""
    bom_stripped, bom_encoding = EncodingDetector.strip_byte_order_mark(data)
    if bom_encoding:
        return bom_stripped.decode(bom_encoding, "replace"), codecs.lookup(bom_encoding).name
    declared = declared_charset(data) or UTF8
    try:
        return data.decode(declared), declared
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):  # declared or not, UTF-8 with a few stray bytes
        return data.decode(UTF8, "replace"), UTF8
    if declared != UTF8:  # a legacy charset, with a few bytes it leaves undefined
        return data.decode(declared, "replace"), declared
    try:  # declared UTF-8 falsely, or nothing declared: a legacy single-byte page
        return data.decode("windows-1252"), "windows-1252"
    except UnicodeDecodeError:  # bytes windows-1252 leaves undefined (0x81, 0x8d, ...)
        return data.decode(LATIN1), LATIN1


def _paragraphs(body) -> list[str]:
    """The text of trafilatura's output tree, a paragraph break at each block element's
    start and end. A walk with a stack of its own: the tree can nest deeply."""
    paragraphs: list[str] = []
    current: list[str] = []
    end = object()
    stack: list = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            current.append(node)
            continue
        if node is end or node.tag in _BLOCKS:
            if current:
                paragraphs.append("".join(current))
                current.clear()
        if node is end:
            continue
        if node.tail and node is not body:
            stack.append(node.tail)
        if not isinstance(node.tag, str):  # a comment or processing instruction: no text of the page
            continue
        if node.tag in _BLOCKS:
            stack.append(end)
        stack.extend(reversed(node))
        if node.text:
            stack.append(node.text)
    if current:
        paragraphs.append("".join(current))
    return paragraphs


def _first(tree, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        value = " ".join(str(value).split())
        if value:
            return value
    return None


def page_meta(tree) -> dict:
    """``title``, ``url`` and ``lang_hint`` of a parsed page, those it has."""
    meta = {
        "title": _first(tree, "//title//text()") or _first(tree, '//meta[@property="og:title"]/@content'),
        "url": _first(tree, '//link[contains(concat(" ", translate(@rel, "CANONICAL", "canonical"), " "),'
                            ' " canonical ")]/@href') or _first(tree, '//meta[@property="og:url"]/@content'),
    }
    lang = tree.get("lang") if tree.tag == "html" else None
    if lang and lang.strip():
        meta["lang_hint"] = re.split(r"[-_]", lang.strip().lower())[0]
    return {k: v for k, v in meta.items() if v}


class _DepthCapped:
    """An lxml parser target building the page's tree without the elements nested deeper
    than ``MAX_DEPTH`` (their text goes to the element at that depth, a space for each)."""

    def __init__(self):
        self._builder = etree.TreeBuilder(parser=lxml.html.HTMLParser())
        self._depth = 0

    def start(self, tag, attrib):
        self._depth += 1
        if self._depth <= MAX_DEPTH:
            self._builder.start(tag, attrib)
        else:
            self._builder.data(" ")

    def end(self, tag):
        if self._depth <= MAX_DEPTH:
            self._builder.end(tag)
        self._depth -= 1

    def data(self, data):
        self._builder.data(data)

    def close(self):
        return self._builder.close()


def parse(html: str):
    """The page's lxml tree (never nested deeper than libxml2's limit); None for a page of
    nothing but blanks and comments."""
    data = html.encode(UTF8, "surrogatepass")  # bytes: lxml refuses a str with an XML declaration
    try:
        tree = lxml.html.document_fromstring(data, parser=_PARSER)
    except etree.ParserError:
        return None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _PARSER.error_log):
        capped = etree.HTMLParser(target=_DepthCapped(), encoding=UTF8, remove_comments=True, remove_pis=True)
        tree = etree.fromstring(data, capped)
    return tree


def extract(html: str) -> tuple[list[str], dict]:
    """Main-text paragraphs of an HTML page and its meta (title, url, lang_hint)."""
    tree = parse(html)
    if tree is None:
        return [], {}
    meta = page_meta(tree)
    document = bare_extraction(tree, options=OPTIONS)
    if document is None or document.body is None:
        return [], meta
    return _paragraphs(document.body), meta


def _compressed(stream, name: str):
    """The stream, decompressed when its magic bytes say so."""
    head, stream = peek(stream, 8)
    kind = sniff_compression(head)
    return decompress_stream(stream, kind, name) if kind else stream


def read(path: Path, source: str, max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    path = Path(path)
    folder = path.is_dir()
    for rel, f in iter_files(path, None):
        doc_id = f"{source}/{rel}"
        # named in errors as the archives layer names it: the file, or the archive and its member
        where = str(path / rel) if folder else str(path) if rel == path.name else f"{path}: member {rel}"
        stream = _compressed(f, where)
        head, stream = peek(stream, _SNIFF_HEAD)
        if not is_html(rel, head):
            yield Rejected(doc_id, "not-html", f"neither named .html/.htm nor HTML inside; starts {head[:40]!r}")
            continue
        data, whole = read_capped(stream, max_bytes)
        if not whole:
            yield too_large(doc_id, max_bytes, data)
            continue
        text, encoding = decode_html(data)
        try:
            paragraphs, page = extract(text)
        except Exception as exc:  # a page so broken even a lenient parser fails
            yield Rejected(doc_id, "unparsable-html", f"{type(exc).__name__}: {exc}", text)
            continue
        yield document_or_empty(doc_id, source, paragraphs, {"path": rel, "encoding": encoding, **page}, raw=text)


__all__ = ["read", "extract", "decode_html", "declared_charset", "is_html", "page_meta"]
