"""Reader for Norsk Aviskorpus (the Norwegian Newspaper Corpus), all three formats.

What is read depends on the file, recognised by content (magic bytes), not name:

* a zip archive (Språkbanken's ``norsk_aviskorpus.zip`` with ``1/*.gz``,
  ``2/*.tar.gz``, ``3/*.tar.gz``): every member is read as one of the below,
  nested archives streamed, never unpacked to disk; a member that is neither an
  archive nor compressed is Rejected ``not-an-archive`` (no raw);
* a tar archive (any compression): one article per member; a member starting
  with ``<`` is format 3 (XML/HTML), anything else format 2 (plain text);
* a compressed file that is not a tar: format 1 (one token per line).

Ids: ``<source>/<archive>/<member path>`` for formats 2 and 3, and
``<source>/<gz file>/<artikkel id>`` for format 1, where ``<archive>`` and
``<gz file>`` are the file's name, or, inside the zip, its path in the zip.

Every record is decoded as strict UTF-8 if it is valid UTF-8, else as ISO-8859-1
(``meta["encoding"]``). ``meta["lang_hint"]`` is ``nb``/``nn`` from a ``nob``/``nno``
component of the path (folder or ``_``/``.``/``-`` separated part of a file name).

Format 1 is detokenized: tokens are joined by spaces, except no space before
``, . : ; ! ?`` (and runs of them, ``...``, ``…``), closing brackets, ``»`` and
closing quotes, and none after opening brackets, ``«`` and opening quotes; straight
double quotes alternate between opening and closing within a paragraph.
A ``-`` between a word and ``og``/``eller``/``,`` (a suspended compound, ``gang- og
sykkelveier``) and ``/`` are glued to the word before; a ``-`` or ``–`` between two
numbers joins them (``1998-2001``). Abbreviations and numbers (``f.eks.``, ``3,5``) are
tokens and kept as they are.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import IO, Iterator

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

from smie.archives import (
    decompress_stream,
    is_tar_header,
    is_zip_header,
    iter_members,
    peek,
    read_capped,
    sniff_compression,
)
from smie.documents import Document, InputError, Rejected, too_large
from smie.extract.plaintext import blank_line_paragraphs, decode_bytes, document_or_empty

_LANG_CODES = {"nob": "nb", "nno": "nn"}
_ARTICLE_SUFFIXES = (".txt", ".xml", ".htm", ".html", ".sgml", ".sgm")

# --------------------------------------------------------------------------- tokens

_CLOSING = frozenset({")", "]", "}", "»", "”", "’", "›"})
_OPENING = frozenset({"(", "[", "{", "«", "“", "„", "‘", "‹"})
_PUNCT_RUN = re.compile(r"^(?:[.,:;!?]+|…)$")
_HYPHENS = frozenset({"-", "–"})
# words after a suspended compound ("gang- og sykkelvei", "barne-, ungdoms- eller")
_AFTER_SUSPENDED = frozenset({"og", "eller", "enn", "samt", "til", "&", ","})


def detokenize(tokens: list[str]) -> str:
    """Running text from a list of tokens (Norwegian punctuation conventions)."""
    out: list[str] = []
    glue_next = True  # no space before the first token
    quote_open = False
    n = len(tokens)
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i > 0 else ""
        nxt = tokens[i + 1] if i + 1 < n else ""
        if tok == '"':
            if quote_open:
                out.append(tok)  # closing: glued to what precedes
                glue_next = False
            else:
                if not glue_next:
                    out.append(" ")
                out.append(tok)
                glue_next = True
            quote_open = not quote_open
            continue
        if tok in _HYPHENS and prev.isdigit() and nxt.isdigit():
            out.append(tok)  # a range: 1998-2001
            glue_next = True
            continue
        if (tok in _CLOSING or _PUNCT_RUN.match(tok) or tok == "/"
                or (tok == "-" and prev[-1:].isalpha() and nxt.lower() in _AFTER_SUSPENDED)):
            out.append(tok)  # glued to what precedes, like "gang- og sykkelvei"
            glue_next = tok == "/"
            continue
        if not glue_next:
            out.append(" ")
        out.append(tok)
        glue_next = tok in _OPENING
    return "".join(out)


# --------------------------------------------------------------------------- helpers


def lang_hint_of(*paths: str) -> str | None:
    """``nb``/``nn`` from the last ``nob``/``nno`` part of the given paths."""
    for p in reversed(paths):
        for part in reversed(re.split(r"[/\\_.\-]", p.lower())):
            if part in _LANG_CODES:
                return _LANG_CODES[part]
    return None


def _base_meta(archive: str, member: str | None, encoding: str, lang: str | None) -> dict:
    meta = {"archive": archive, "encoding": encoding}
    if member is not None:
        meta["member"] = member
    if lang:
        meta["lang_hint"] = lang
    return meta


# --------------------------------------------------------------------------- format 3


def format3(text: str) -> tuple[list[str] | None, dict]:
    """Paragraphs of a format 3 article (None without a text div) and its meta."""
    with warnings.catch_warnings():  # NAK's XML is parsed leniently as HTML on purpose
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    meta: dict = {}
    for m in soup.find_all("meta"):
        name, content = m.get("name"), m.get("content")
        if isinstance(name, str) and name.strip() and content is not None:
            meta[name.strip()] = content.strip() if isinstance(content, str) else content
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    if title:
        meta["title"] = title
    div = soup.find("div", attrs={"type": "text"})
    if div is None:
        return None, meta
    for br in div.find_all("br"):
        br.replace_with(" ")
    ps = div.find_all("p")
    if ps:
        paragraphs = [p.get_text() for p in ps]
    else:
        paragraphs = blank_line_paragraphs(div.get_text())
    return paragraphs, meta


# --------------------------------------------------------------------------- format 2

_META_LINE = re.compile(r"^##\s*([^:]+?)\s*:\s*(.*?)\s*$")


def format2(text: str) -> tuple[list[str], dict]:
    """Paragraphs and ``## key: value`` meta of a format 2 article."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta: dict = {}
    i = 0
    while i < len(lines) and lines[i].startswith("##"):
        m = _META_LINE.match(lines[i])
        if m:
            meta[m.group(1)] = m.group(2)
        i += 1
    return blank_line_paragraphs("\n".join(lines[i:])), meta


def _article(source: str, archive: str, member: str, data: bytes,
             lang: str | None) -> Document | Rejected:
    doc_id = f"{source}/{archive}/{member}"
    text, encoding = decode_bytes(data)
    reserved = _base_meta(archive, member, encoding, lang)
    if text.lstrip().startswith("<"):
        paragraphs, meta = format3(text)
        if paragraphs is None:
            return Rejected(doc_id, "no-text-div", 'no <div type="text"> in the article', text)
    else:
        paragraphs, meta = format2(text)
    meta.update(reserved)
    return document_or_empty(doc_id, source, paragraphs, meta, raw=text)


# --------------------------------------------------------------------------- format 1

_ARTICLE_START = re.compile(rb"^<artikkel\b", re.IGNORECASE)
_ARTICLE_END = re.compile(rb"^</artikkel\s*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_MARKUP = re.compile(r"^<[/!?]?[A-Za-z][^<>]*>$")  # a lone "<" token is text
_HEADER = re.compile(r"^\|\s*([\w.-]+)\s*[:=]?\s*(.*?)\s*$")


def _format1_article(source: str, gz_name: str, lines: list[bytes], ordinal: int,
                     lang: str | None, closed: bool) -> Document | Rejected:
    text, encoding = decode_bytes(b"".join(lines))
    rows = text.split("\n")
    attrs = {m.group(1): next(g for g in m.groups()[1:] if g is not None)
             for m in _ATTR.finditer(rows[0])}
    art_id = attrs.pop("id", None) or str(ordinal)
    doc_id = f"{source}/{gz_name}/{art_id}"
    if not closed:
        return Rejected(doc_id, "unterminated-article", "no </artikkel> before the next article or the end of the file", text)
    meta: dict = dict(attrs)
    paragraphs: list[list[str]] = []
    tokens: list[str] = []
    for row in rows[1:]:
        tok = row.strip()
        if not tok:
            continue
        if _MARKUP.match(tok):
            if re.match(r"^</?p\b", tok, re.IGNORECASE):
                if tokens:
                    paragraphs.append(tokens)
                tokens = []
            continue  # </artikkel> and other markup
        if tok.startswith("|"):
            m = _HEADER.match(tok)
            if m:
                key = "title" if m.group(1).lower() == "tittel" else m.group(1)
                meta[key] = m.group(2)
            continue
        tokens.append(tok)
    if tokens:
        paragraphs.append(tokens)
    meta.update({"article_id": art_id, **_base_meta(gz_name, None, encoding, lang)})
    return document_or_empty(doc_id, source, [detokenize(p) for p in paragraphs], meta, raw=text)


def read_format1(stream: IO[bytes], source: str, gz_name: str,
                 lang: str | None) -> Iterator[Document | Rejected]:
    """Articles of a format 1 file (already decompressed), streamed line by line."""
    article: list[bytes] | None = None
    stray: list[bytes] = []
    stray_line = 0
    ordinal = 0

    def stray_rejected() -> Rejected:
        raw, _ = decode_bytes(b"".join(stray))
        return Rejected(f"{source}/{gz_name}/line-{stray_line}", "outside-article",
                        "text outside <artikkel> ... </artikkel>", raw)

    for lineno, line in enumerate(stream, 1):
        if _ARTICLE_START.match(line):
            if stray:
                yield stray_rejected()
                stray = []
            if article is not None:
                yield _format1_article(source, gz_name, article, ordinal, lang, closed=False)
            ordinal += 1
            article = [line]
        elif article is not None:
            article.append(line)
            if _ARTICLE_END.match(line):
                yield _format1_article(source, gz_name, article, ordinal, lang, closed=True)
                article = None
        elif line.strip():
            if not stray:
                stray_line = lineno
            stray.append(line)
    if article is not None:
        yield _format1_article(source, gz_name, article, ordinal, lang, closed=False)
    if stray:
        yield stray_rejected()


# --------------------------------------------------------------------------- dispatch


def _read_tar(stream: IO[bytes], source: str, archive: str, where: str,
              outer: tuple[str, ...], max_bytes: int | None) -> Iterator[Document | Rejected]:
    for member, f in iter_members(stream, where):
        lang = lang_hint_of(*outer, archive, member)
        if not member.lower().endswith(_ARTICLE_SUFFIXES) and "." in member.rsplit("/", 1)[-1]:
            yield Rejected(f"{source}/{archive}/{member}", "not-an-article",
                           "member is not a .txt, .xml or .htm(l) file")
            continue
        data, whole = read_capped(f, max_bytes)
        if not whole:
            yield too_large(f"{source}/{archive}/{member}", max_bytes, data)
            continue
        yield _article(source, archive, member, data, lang)


def _read_stream(stream: IO[bytes], source: str, name: str, where: str,
                 outer: tuple[str, ...], in_zip: bool, max_bytes: int | None) -> Iterator[Document | Rejected]:
    """A file or zip member: tar (any compression), compressed format 1, or zip."""
    head, stream = peek(stream, 8)
    if is_zip_header(head):
        raise InputError(f"{where}: a zip archive inside an archive is not supported")
    kind = sniff_compression(head)
    data = decompress_stream(stream, kind, where)
    block, data = peek(data, 512)
    if is_tar_header(block):
        yield from _read_tar(data, source, name, where, outer, max_bytes)
    elif kind is not None:
        yield from read_format1(data, source, name, lang_hint_of(*outer, name))
    elif in_zip:
        yield Rejected(f"{source}/{name}", "not-an-archive",
                       "zip member is neither a tar archive nor a compressed format 1 file")
    else:
        raise InputError(f"{where}: unknown format: not a zip, a tar archive or a compressed "
                         "(gzip, bzip2, xz, zstd) format 1 file")


def read(path: Path, source: str, max_bytes: int | None = None) -> Iterator[Document | Rejected]:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc}") from exc
    if is_zip_header(head):
        for member, f in iter_members(path, str(path)):
            yield from _read_stream(f, source, member, f"{path}: member {member}",
                                    (path.name,), in_zip=True, max_bytes=max_bytes)
        return
    with open(path, "rb") as f:
        yield from _read_stream(f, source, path.name, str(path), (), in_zip=False, max_bytes=max_bytes)
