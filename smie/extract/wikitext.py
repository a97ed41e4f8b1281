"""Wikitext -> paragraphs: the cleaning behind the Wikipedia reader.

wikiextractor does the bulk (templates, tables, links, references, markup) without
expanding templates. Three passes of our own surround it, each a linear scan:

1. Tags, as MediaWiki's preprocessor reads them, before wikiextractor sees the text.
   Comments go; the content of tags that hold no prose (``<math>``, ``<chem>``,
   ``<score>``, code, galleries, timelines, maps, ``<ref>``, ``<includeonly>``) goes
   with them; ``<noinclude>`` and ``<onlyinclude>`` lose their tags and keep their
   content (a page shows both itself). Done first because wikiextractor strips
   templates before tags: a ``{{`` inside a formula would otherwise swallow the rest
   of the article into an unclosed template.
2. Lines: headings and list items are marked (with NUL, which XML cannot hold) so
   that they pass wikiextractor as plain text, since it would drop list items outright.
3. Paragraphs: list items are kept or dropped by the ``lists`` setting, a heading is
   kept only when text follows it in its section, and leftovers of dropped markup
   (``()``, ``formula_1``) are tidied away.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from wikiextractor.extract import Extractor

# wikiextractor logs every template problem of every page; its aggregate is of no
# use here (templates are never expanded).
logging.getLogger("wikiextractor").setLevel(logging.ERROR)

# What becomes of a list item: ``drop`` all, keep those that read as ``prose``, or ``all``.
LISTS = ("drop", "prose", "all")
DEFAULT_LISTS = "prose"
# A list item reads as prose when it has at least this many words and ends a sentence.
PROSE_ITEM_WORDS = 6
_SENTENCE_END = ".!?…"
_CLOSERS = "\"'»”’)"

# Tags whose content is no prose (formulas, code, media, maps, references, what
# only a transcluding page shows): dropped with their content.
_DROPPED = (
    "math", "chem", "ce", "score", "hiero", "syntaxhighlight", "source", "pre", "code",
    "gallery", "timeline", "graph", "mapframe", "maplink", "imagemap", "categorytree",
    "templatedata", "templatestyles", "inputbox", "indicator", "ref", "references",
    "includeonly",
)
_UNWRAPPED = ("noinclude", "onlyinclude")  # the tags go, the content stays
_LITERAL = "nowiki"  # left to wikiextractor whole; no tag inside it counts
# A comment, or a tag of ours: MediaWiki reads a name followed by space, "/" or ">".
_TAG = re.compile(r"<(?:!--|(/?)(%s)(?=[\s/>]))" % "|".join((*_DROPPED, *_UNWRAPPED, _LITERAL)),
                  re.IGNORECASE)
_CLOSE = {name: re.compile(r"</%s\s*>" % name, re.IGNORECASE) for name in (*_DROPPED, _LITERAL)}

_HEADING = "\x00H"  # + level digit + title
_ITEM = "\x00L"  # + item text
_LIST_MARKS = "*#:;"

_PLACEHOLDER = re.compile(r"(?:formula|codice)_\d+")  # wikiextractor's, glued to a word or not
_EMPTY_BRACKETS = re.compile(r"\([,;:.\s]*\)|\[[,;:.\s]*\]")  # one class: linear on long runs
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)\]])")
# Bold and italic quotes, stripped before wikiextractor sees them (it would turn
# italics into double quotes, which are not part of the article's text).
_EMPHASIS = [re.compile(r"'{5}(.+?)'{5}"), re.compile(r"'{3}(.+?)'{3}"), re.compile(r"'{2}(.+?)'{2}")]


class Cleaned(NamedTuple):
    paragraphs: list[str]  # headings as paragraphs of their own
    headings: int  # left out: no text in their section
    items: int  # list items left out by the lists setting


def clean_wikitext(wikitext: str, title: str = "", page_id=0, lists: str = DEFAULT_LISTS) -> Cleaned:
    """The paragraphs of a page's wikitext, and what was left out for want of prose."""
    if lists not in LISTS:
        raise ValueError(f"lists must be one of {', '.join(LISTS)}, not {lists!r}")
    wikitext = _mark_lines(_drop_tags(wikitext.replace("\x00", "")))
    for pattern in _EMPHASIS:
        wikitext = pattern.sub(r"\1", wikitext)
    extractor = Extractor(page_id, 0, "", title, [])
    lines = extractor.clean_text(wikitext, expand_templates=False, html_safe=False)
    return _paragraphs(lines, lists)


# ------------------------------------------------------------------ 1. tags


def _drop_tags(wikitext: str) -> str:
    """Without comments and the tags above, read as MediaWiki's preprocessor reads them:
    left to right (a tag inside a comment or a formula is text of it); an element ends
    at the first closing tag of its name; an unclosed comment or ``<includeonly>``
    hides the rest of the page, another unclosed tag is only its own text (dropped
    here). Linear: a name whose closing tag was not found is not searched for again,
    nor is ">" once missing (MediaWiki's own guards against quadratic time)."""
    out, pos = [], 0
    no_close: set[str] = set()
    no_gt = False
    while m := _TAG.search(wikitext, pos):
        out.append(wikitext[pos : m.start()])
        pos = m.end()
        if m.group(2) is None:  # a comment
            end = wikitext.find("-->", pos)
            pos = len(wikitext) if end == -1 else end + 3
            continue
        name = m.group(2).lower()
        gt = -1 if no_gt else wikitext.find(">", pos)
        if gt == -1:
            no_gt = True  # "<math" and no ">" after it (dropped): no later tag can end either
            continue
        pos = gt + 1
        if m.group(1) or wikitext[gt - 1] == "/" or name in _UNWRAPPED:
            continue  # a closing tag, an empty element, or a tag that keeps its content
        close = None if name in no_close else _CLOSE[name].search(wikitext, pos)
        if close is None:
            no_close.add(name)
            if name == "includeonly":
                pos = len(wikitext)
            continue
        pos = close.end()
        if name == _LITERAL:
            out.append(wikitext[m.start() : pos])
        elif _between_words(wikitext, m.start(), pos):
            out.append(" ")  # "x<math>y</math>z": x and z stay two words
    out.append(wikitext[pos:])
    return "".join(out)


def _between_words(text: str, start: int, end: int) -> bool:
    """Whether neither side of ``text[start:end]`` is space (or the text's edge)."""
    return start > 0 and end < len(text) and not text[start - 1].isspace() and not text[end].isspace()


# ------------------------------------------------------------------ 2. lines


def _mark_lines(wikitext: str) -> str:
    """Headings and list items marked, so that wikiextractor keeps both as text."""
    if "==" not in wikitext and not any(mark in wikitext for mark in "*#;"):
        return wikitext
    return "\n".join(_mark(line) for line in wikitext.split("\n"))


def _mark(line: str) -> str:
    if line.startswith("=="):
        return _heading(line)
    if line[:1] in _LIST_MARKS:
        text = line.lstrip(_LIST_MARKS)
        marks = line[: len(line) - len(text)]
        if marks.strip(":"):  # not an indent (":" alone), which wikiextractor keeps
            return _ITEM + text.strip()
    return line


def _heading(line: str) -> str:
    """A line starting with "==" in the plain form ``== Title ==`` (level at most 6, as
    in MediaWiki), marked: wikiextractor's heading pattern is cubic in a long run of "="."""
    bare = line.rstrip()
    lead = len(bare) - len(bare.lstrip("="))
    trail = len(bare) - len(bare.rstrip("="))
    if lead == len(bare):
        return ""  # nothing but "="
    if trail < 2:
        return bare[lead:]  # not a heading: text that starts with "=="
    level = min(lead, trail, 6)
    return f"{_HEADING}{level}{bare[lead : len(bare) - trail]}"


# ------------------------------------------------------------------ 3. paragraphs


def _paragraphs(lines: list[str], lists: str) -> Cleaned:
    """Headings kept only before text of their section (or of a subsection), as in
    wikiextractor; list items by ``lists``."""
    paragraphs: list[str] = []
    pending: dict[int, str] = {}  # level -> heading, waiting for text
    headings = items = 0
    for line in lines:
        if line.startswith(_HEADING):
            title = _tidy(line[3:])
            if title:
                level = int(line[2])
                pending = {k: v for k, v in pending.items() if k < level}
                pending[level] = title
                headings += 1
            continue
        is_item = line.startswith(_ITEM)
        text = _tidy(line[2:] if is_item else line)
        if not any(c.isalnum() for c in text):
            continue  # nothing, or an item of bare punctuation (wikiextractor drops such lines)
        if is_item and not _keep_item(text, lists):
            items += 1
            continue
        headings -= len(pending)
        paragraphs.extend(pending[k] for k in sorted(pending))
        pending.clear()
        paragraphs.append(text)
    return Cleaned(paragraphs, headings, items)


def _keep_item(text: str, lists: str) -> bool:
    if lists != "prose":
        return lists == "all"
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END and len(text.split()) >= PROSE_ITEM_WORDS


def _tidy(line: str) -> str:
    """Remove what dropped templates and math leave behind: ``()``, ``formula_1``."""
    line = _PLACEHOLDER.sub(" ", line)
    line = _EMPTY_BRACKETS.sub("", line)
    line = " ".join(line.split())
    return _SPACE_BEFORE_PUNCT.sub(r"\1", line)
