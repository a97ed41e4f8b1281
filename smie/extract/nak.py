"""Reader (and writer) of Norsk Aviskorpus as Språkbanken publishes it.

Inputs are recognised by content, never by name: a zip (``norsk_aviskorpus.zip``), a
tar of any compression (``2/*.tar.gz``, ``3/*.tar.gz``, the yearly ``nak_YYYY.tar``),
a compressed file, or a plain file. Archives nest to any depth (``nak_YYYY.tar`` holds
``YYYY/*.tar.gz``), streamed, never unpacked to disk; every file or member is then one
of the three layouts, by its first line:

* **section 1** (``1/*.gz``): one token per line; an article starts at a ``<U #url>``
  line, followed by a header block of ``|``, ``<B XX>`` (newspaper), ``<A YY>``,
  ``<M MM>`` and ``<D DD>`` lines, values possibly empty. Tokens are detokenized
  (below); a lone ``|`` or ``¶`` token ends a paragraph (an assumption: the evidence
  shows no paragraph marks in this section).
* **section 2** (members of ``2/*.tar.gz``): several articles per member, each
  starting at a ``##U #url>`` line, then ``##B``, ``##A``, ``##M``, ``##D`` lines;
  ``¶`` ends a paragraph and `` | `` separates header fragments (``Publisert … |
  Endret: …``), both become paragraph breaks; lines are joined with spaces.
* **section 3** (members of ``3/*.tar.gz`` and of the yearly archives): one XML
  article, ``<document><header><attribute name=".." value=".."/>…</header><body><div
  type="..">…</body></document>``; the title and ingress divs become the first
  paragraphs, then the ``<p>`` of the ``text`` div; ``author``, ``date`` and
  ``caption`` divs are left out (author and date are in the header). Parsed by
  lxml's HTML parser: unclosed ``<p>``, a bare ``&`` or ``&nbsp;`` lose nothing.

Articles of sections 1 and 2 are cut out line by line: memory holds one article,
never a file. Each article is decoded on its own, as strict UTF-8 when it is valid
UTF-8, else as ISO-8859-1 (what the files declare; ``meta["encoding"]``).

Ids are ``<source>/<file>/<member>/…`` down the archive chain (``nak/norsk_aviskorpus.zip/
3/kk.tar.gz/KK/nob/2011/09/01/20110901-59238.xml``), with ``/<n>`` (the article's
number in its file) for sections 1 and 2. ``meta``: ``url`` (its first word: real
values carry trailing junk), ``newspaper`` (the two-letter code), ``date``
(``YYYY-MM-DD``, or as far as the header gives it; section 3 as written), the section 3
header's ``author``, ``gender``, ``class1``, ``class2``, ``file`` when not empty,
``title``, ``nak_section``, ``archive`` (the chain), ``encoding``, and ``lang_hint``
(``nb``/``nn`` from the ``language`` attribute, else from a ``nob``/``nno`` part of
the path).

Nothing hides behind one record: after every nested archive, and after a section 1
or 2 file or member that gave no document, an :class:`InputSummary` says how many
documents and records it gave. Text before the first article header is
Rejected ``outside-article``; a file or member whose first 8 KiB hold no article
header and are not XML is Rejected ``unknown-layout``; a top-level file of no
known layout raises InputError.

The layouts follow public evidence; what rests on assumption instead is listed in
README.md ("Norsk Aviskorpus, evidence and assumptions").

Section 1 detokenization: tokens are joined by spaces, except no space before
``, . : ; ! ?`` (and runs of them, ``...``, ``…``), closing brackets, ``»`` and
closing quotes, and none after opening brackets, ``«`` and opening quotes; straight
double quotes alternate between opening and closing within a paragraph.
A ``-`` between a word and ``og``/``eller``/``,`` (a suspended compound, ``gang- og
sykkelveier``) and ``/`` are glued to the word before; a ``-`` or ``–`` between two
numbers joins them (``1998-2001``). Abbreviations and numbers (``f.eks.``, ``3,5``) are
tokens and kept as they are.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import IO, Iterator, NamedTuple

import lxml.html
from lxml import etree

from smie.archives import (
    decompress_stream,
    is_tar_header,
    is_zip_header,
    iter_members,
    peek,
    read_capped,
    readline_capped,
    sniff_compression,
)
from smie.documents import Document, InputError, InputSummary, Rejected, too_large
from smie.extract.plaintext import blank_line_paragraphs, decode_bytes, document_or_empty

Record = Document | Rejected | InputSummary

_LANG_CODES = {"nob": "nb", "nno": "nn"}
_SNIFF_BYTES = 8192  # where the first article header must be

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


# --------------------------------------------------------------------------- headers


def lang_hint_of(*paths: str) -> str | None:
    """``nb``/``nn`` from the last ``nob``/``nno`` part of the given paths."""
    for p in reversed(paths):
        for part in reversed(re.split(r"[/\\_.\-]", p.lower())):
            if part in _LANG_CODES:
                return _LANG_CODES[part]
    return None


def _year(yy: str) -> int | None:
    """A header's two-digit year: the corpus runs from 1998, so 90-99 are the 1900s."""
    if not yy.isdigit():
        return None
    n = int(yy)
    return n if len(yy) == 4 else (1900 + n if n >= 90 else 2000 + n)


def _header_meta(fields: dict[str, str]) -> dict:
    """meta from a section 1/2 header: U url, B newspaper, A/M/D year, month, day."""
    meta: dict = {}
    url = fields.get("U", "").lstrip("#").split()
    if url:
        meta["url"] = url[0]
    if fields.get("B"):
        meta["newspaper"] = fields["B"]
    date = []
    year = _year(fields.get("A", ""))
    if year:
        date.append(f"{year:04d}")
        for key in ("M", "D"):
            value = fields.get(key, "")
            if not (value.isdigit() and 1 <= int(value) <= 31):
                break
            date.append(f"{int(value):02d}")
    if date:
        meta["date"] = "-".join(date)
    return meta


# --------------------------------------------------------------------------- sections 1 and 2


class _Run(NamedTuple):
    line: int  # where it starts in its file (1-based)
    lines: list[bytes]  # all of it, or its head when not whole
    whole: bool
    article: bool  # False: text before the first article (less than the sniffed head)


def _runs(stream: IO[bytes], starts: re.Pattern, max_bytes: int | None) -> Iterator[_Run]:
    """The articles of a line stream, each from a line matching ``starts`` to the next,
    after the text before the first. An article over ``max_bytes`` keeps only its head
    and is read through."""
    cap = max_bytes if max_bytes is not None else float("inf")
    run, size = _Run(1, [], True, False), 0
    for lineno in itertools.count(1):
        line, line_whole = readline_capped(stream, max_bytes)
        if not line:
            break
        if starts.match(line):
            if run.lines:
                yield run
            run, size = _Run(lineno, [], True, True), 0
        if run.whole:
            run.lines.append(line)
            size += len(line)
            if not line_whole or size > cap:
                run = run._replace(whole=False)
    if run.lines:
        yield run


def _stray(source: str, chain: list[str], run: _Run, max_bytes: int | None) -> Rejected | None:
    doc_id = "/".join([source, *chain, f"line-{run.line}"])
    data = b"".join(run.lines)
    if not run.whole:
        return too_large(doc_id, max_bytes, data)
    if not data.strip():
        return None
    return Rejected(doc_id, "outside-article", "text before the first article header",
                    data.decode("utf-8", "surrogateescape"))


_S1_START = re.compile(rb"^<U[ >]")
_S1_HEADER = re.compile(r"^<([BAMD])\s?(.*)>$")
_S2_START = re.compile(rb"^##U[ >]")
_S2_HEADER = re.compile(r"^##([BAMD])\s?(.*)>$")
_S2_BREAK = re.compile(r"\s*(?:¶|(?:^|\s)\|(?:\s|$))\s*")


def _split_header(rows: list[str], header: re.Pattern) -> tuple[dict[str, str], list[str]]:
    """The header fields of an article's rows (its first row holds the url) and the rest."""
    fields = {"U": rows[0].strip().lstrip("#U< ").rstrip(">").strip()}
    i = 1
    while i < len(rows):
        row = rows[i].strip()
        m = header.match(row)
        if m:
            fields[m.group(1)] = m.group(2).strip()
        elif row not in ("", "|"):
            break
        i += 1
    return fields, rows[i:]


def _section1_paragraphs(rows: list[str]) -> list[str]:
    paragraphs, tokens = [], []
    for row in rows:
        token = row.strip()
        if token in ("|", "¶"):
            paragraphs.append(detokenize(tokens))
            tokens = []
        elif token:
            tokens.append(token)
    return paragraphs + [detokenize(tokens)]


def _section2_paragraphs(rows: list[str]) -> list[str]:
    return _S2_BREAK.split(" ".join(row.strip() for row in rows))


_SECTIONS = {  # section: (article start, header line, paragraphs of the rows after the header)
    1: (_S1_START, _S1_HEADER, _section1_paragraphs),
    2: (_S2_START, _S2_HEADER, _section2_paragraphs),
}


def _read_articles(stream: IO[bytes], section: int, source: str, chain: list[str],
                   lang: str | None, max_bytes: int | None) -> Iterator[Record]:
    """The articles of a section 1 or 2 file or member, and its summary if none was kept."""
    starts, header, paragraphs_of = _SECTIONS[section]
    articles = documents = records = 0
    for run in _runs(stream, starts, max_bytes):
        if not run.article:
            record = _stray(source, chain, run, max_bytes)
        else:
            articles += 1
            doc_id = "/".join([source, *chain, str(articles)])
            data = b"".join(run.lines)
            if not run.whole:
                record = too_large(doc_id, max_bytes, data)
            else:
                text, encoding = decode_bytes(data)
                fields, rows = _split_header(text.splitlines(), header)
                meta = {**_header_meta(fields), **_base_meta(chain, section, encoding, lang)}
                record = document_or_empty(doc_id, source, paragraphs_of(rows), meta, raw=text)
        if record is not None:
            documents += isinstance(record, Document)
            records += 1
            yield record
    if not documents:
        yield InputSummary("/".join(chain), 0, records)


def _base_meta(chain: list[str], section: int, encoding: str, lang: str | None) -> dict:
    meta = {"archive": "/".join(chain[:-1]) if section == 3 else "/".join(chain),
            "nak_section": section, "encoding": encoding}
    if lang:
        meta["lang_hint"] = lang
    return meta


# --------------------------------------------------------------------------- section 3

_PARSER = lxml.html.HTMLParser(encoding="utf-8")
_HEADER_KEYS = ("url", "source", "date", "author", "gender", "class1", "class2", "file")


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def section3(text: str) -> tuple[list[str] | None, dict]:
    """Paragraphs of a section 3 article (None without a text div) and its header."""
    # Parsed as HTML, on purpose: real articles have unclosed <p>, bare & and HTML
    # entities, which an XML parser rejects or, recovering, nests wrongly. The text is
    # decoded already: its bytes go in as UTF-8, whatever a declaration says.
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except etree.ParserError:  # nothing but whitespace and comments
        return None, {}
    header = {a.get("name", "").strip(): (a.get("value") or "").strip() for a in root.iter("attribute")}
    meta = {("newspaper" if k == "source" else k): header[k] for k in _HEADER_KEYS if header.get(k)}
    if "url" in meta:
        meta["url"] = meta["url"].split()[0]
    if header.get("language") in _LANG_CODES:
        meta["lang_hint"] = _LANG_CODES[header["language"]]
    paragraphs: list[str] | None = None
    lead: list[str] = []
    for div in root.iter("div"):
        kind = div.get("type")
        if kind == "title" and "title" not in meta:
            meta["title"] = _text(div)
        if kind in ("title", "ingress"):
            lead.append(_text(div))
        elif kind == "text":
            ps = [_text(p) for p in div.iter("p")]
            paragraphs = (paragraphs or []) + (ps if ps else blank_line_paragraphs("".join(div.itertext())))
    return (None if paragraphs is None else lead + paragraphs), meta


def _section3_article(data: bytes, source: str, chain: list[str], lang: str | None) -> Document | Rejected:
    doc_id = "/".join([source, *chain])
    text, encoding = decode_bytes(data)
    paragraphs, meta = section3(text)
    if paragraphs is None:
        return Rejected(doc_id, "no-text-div", 'no <div type="text"> in the article', text)
    meta = {**_base_meta(chain, 3, encoding, lang), **meta}  # the header's language first
    return document_or_empty(doc_id, source, paragraphs, meta, raw=text)


# --------------------------------------------------------------------------- dispatch


_FIRST_HEADER = re.compile(rb"^(?:<U|##U)[ >]", re.MULTILINE)


def _layout(head: bytes) -> int | None:
    """3 for XML, else 1 or 2 by the first article header in ``head``, else None."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<?xml", b"<!DOCTYPE", b"<document")):
        return 3
    m = _FIRST_HEADER.search(head)
    return None if m is None else 1 if m.group().startswith(b"<U") else 2


def _summarised(name: str, records: Iterator[Record]) -> Iterator[Record]:
    """``records``, then the summary of the container they came from."""
    documents = count = 0
    for record in records:
        if not isinstance(record, InputSummary):
            documents += isinstance(record, Document)
            count += 1
        yield record
    yield InputSummary(name, documents, count)


def _read_members(archive: str | Path | IO[bytes], source: str, chain: list[str], where: str,
                  max_bytes: int | None) -> Iterator[Record]:
    for member, f in iter_members(archive, where):
        yield from _read_stream(f, source, [*chain, member], f"{where}: member {member}", max_bytes)


def _read_stream(stream: IO[bytes], source: str, chain: list[str], where: str,
                 max_bytes: int | None, top: bool = False) -> Iterator[Record]:
    """A file or member: an archive, or (compressed or not) one of the three layouts."""
    head, stream = peek(stream, 8)
    if is_zip_header(head):
        raise InputError(f"{where}: a zip archive inside an archive is not supported")
    data = decompress_stream(stream, sniff_compression(head), where)
    head, data = peek(data, max(512, _SNIFF_BYTES))
    if is_tar_header(head):
        members = _read_members(data, source, chain, where, max_bytes)
        yield from members if top else _summarised("/".join(chain), members)
        return
    lang = lang_hint_of(*chain)
    layout = _layout(head)
    if layout in _SECTIONS:
        yield from _read_articles(data, layout, source, chain, lang, max_bytes)
        return
    if layout is None and top:
        raise InputError(f"{where}: unknown format: not an archive, and its first line is not a "
                         "Norsk Aviskorpus article header (<U, ##U or XML)")
    doc_id = "/".join([source, *chain])
    data, whole = read_capped(data, max_bytes)
    if not whole:
        yield too_large(doc_id, max_bytes, data)
    elif layout == 3:
        yield _section3_article(data, source, chain, lang)
    else:
        yield Rejected(doc_id, "unknown-layout", "neither an archive nor an article of a known layout",
                       data.decode("utf-8", "surrogateescape"))


def read(path: Path, source: str, max_bytes: int | None = None) -> Iterator[Record]:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc}") from exc
    if not is_zip_header(head):
        with open(path, "rb") as f:
            yield from _read_stream(f, source, [path.name], str(path), max_bytes, top=True)
        return
    yield from _read_members(path, source, [path.name], str(path), max_bytes)
