"""The clean stage: normalise every document, trim non-text paragraphs, drop bad documents.

Three kinds of units, applied in this order by :func:`clean_document`:

1. **Normalisation** (always, never drops): mojibake repair (UTF-8 read as
   Latin-1/cp1252), HTML tags and entities, wiki markup remnants, Unicode NFC,
   removal of control (``Cc`` except newline and tab), private-use, surrogate and
   unassigned code points and of invisible format characters (soft hyphen,
   zero-width space, BOM), exotic spaces turned into plain spaces, whitespace
   inside paragraphs collapsed, empty paragraphs removed.
2. **Paragraph filters** (remove paragraphs, keep the document), each with its
   reason: ``boilerplate-lines`` (a list of patterns, chosen per language from
   smie/boilerplate.py: cookie banners, share buttons, "Les også:", footers; and
   menu-like runs of short title-case paragraphs), ``non-text-lines`` (paragraphs
   with too few letters: numbers, URLs, symbol tables) and ``duplicate-lines`` (the
   second and later copies of a paragraph within one document).
3. **Document filters**, each a small function returning ``None`` (keep) or the
   reason to drop; the first that fires wins, in the order of ``DOCUMENT_FILTERS``:
   ``too-short`` (already before the paragraph filters), ``mostly-boilerplate``,
   ``too-short`` (after them), ``too-long``, ``low-alpha-ratio``,
   ``mean-word-length``.

A kept document whose word count changed comes back as ``(doc, {reason: words})``
for :func:`smie.shard_filter.filter_shard`; next to the paragraph reasons,
``normalisation`` counts words removed by normalisation itself (markup remnants;
negative in the rare case that removing a tag splits a glued token in two), so
that the stage's kept words always equal the words of the written documents.
A document whose mojibake was repaired carries ``meta["clean"]["mojibake_fixed"]``.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Sequence, Union

from smie import boilerplate
from smie.documents import Document
from smie.settings import from_config

# --------------------------------------------------------------------------- settings

# The patterns the default config resolves to (languages nb and nn, plus English; see
# smie/boilerplate.py). A run gets the patterns of its config from the config layer.
DEFAULT_BOILERPLATE_PATTERNS: tuple[str, ...] = tuple(
    boilerplate.patterns(boilerplate.default_languages(["nb", "nn"]))
)


@dataclass(frozen=True)
class Settings:
    """Thresholds of the clean stage (config key ``clean:``); every field has a default.

    Paragraph filters:

    - ``boilerplate_patterns``: regular expressions searched in the *lowercased*
      paragraph (write them in lower case; ``^`` and ``$`` are the paragraph's
      ends). A paragraph matching one is removed as ``boilerplate-lines``. The
      list is plain: the config layer chooses it by language (smie/boilerplate.py,
      config keys ``clean.boilerplate_languages`` and ``boilerplate_patterns``).
      The default is the default config's: Norwegian (bokmål, nynorsk) and English
      cookie and consent banners and their buttons, share buttons, "Les også:"
      links, login and subscription prompts, navigation words, bylines, photo
      credits, copyright and imprint footers (©, "Alle rettigheter forbeholdt",
      "Org.nr.", "Ansvarlig redaktør:") and one-line menus ("Personvern |
      Informasjonskapsler | Kontakt").
    - ``boilerplate_max_words`` (30): only paragraphs of at most this many words
      are tested against the patterns, so a real paragraph that mentions cookies
      or a copyright is kept; banners and footers are one or two short sentences.
    - ``menu_max_words`` (3), ``menu_min_run`` (3): a run of at least
      ``menu_min_run`` consecutive paragraphs of at most ``menu_max_words`` words,
      each starting with a capital letter and not ending like a sentence, is a
      menu ("Hjem / Om oss / Produkter / Kontakt") and removed as
      ``boilerplate-lines``. Single headings (an article's title, Wikipedia's
      section titles) are kept, but a title right after a menu goes with it.
      ``menu_min_run: 0`` turns this off.
    - ``line_min_alpha_ratio`` (0.4): a paragraph whose letters are fewer than
      this share of its non-space characters (URLs and e-mail addresses count as
      non-letters) is removed as ``non-text-lines``: numbers, links, symbol
      tables. 0.4 keeps headings such as "1500- og 1600-tallet" (0.44).
    - ``remove_duplicate_lines`` (true): the second and later copies of a
      paragraph within one document are removed as ``duplicate-lines``.

    Document filters (words and characters of the text left after the
    paragraph filters, except where said):

    - ``min_words`` (25): fewer words is ``too-short`` (checked before the
      paragraph filters too: a document short to begin with is too-short, not
      mostly-boilerplate). One-sentence stubs ("X er en kommune i Y med N
      innbyggere", a "coming soon" page) have 5 to 20 words; the shortest real
      article or post of the demo corpora has 44.
    - ``max_words`` (100000): more is ``too-long`` (a concatenated dump, not a document).
    - ``max_boilerplate_fraction`` (0.5): if the paragraph filters removed more
      than this share of the document's words, it is ``mostly-boilerplate``: what
      is left of a page that is mostly navigation is rarely a coherent text.
    - ``min_alpha_ratio`` (0.7): fewer letters per non-space character is
      ``low-alpha-ratio`` (tables, code, lists of numbers); running Norwegian
      text has 0.85 to 0.97.
    - ``min_mean_word_length`` (3.0), ``max_mean_word_length`` (12.0): the mean
      length of the whitespace-separated tokens (punctuation included) outside
      this range is ``mean-word-length`` (letter soup, or text glued together
      without spaces). Norwegian running text has 4 to 6.
    """

    boilerplate_patterns: tuple[str, ...] = DEFAULT_BOILERPLATE_PATTERNS
    boilerplate_max_words: int = 30
    menu_max_words: int = 3
    menu_min_run: int = 3
    line_min_alpha_ratio: float = 0.4
    remove_duplicate_lines: bool = True
    min_words: int = 25
    max_words: int = 100_000
    max_boilerplate_fraction: float = 0.5
    min_alpha_ratio: float = 0.7
    min_mean_word_length: float = 3.0
    max_mean_word_length: float = 12.0

    @classmethod
    def from_dict(cls, d: dict | None) -> "Settings":
        """Settings from a config mapping; missing keys take their defaults, unknown keys are an error."""
        d = dict(d or {})
        if "boilerplate_patterns" in d:
            patterns = d["boilerplate_patterns"]
            if isinstance(patterns, str) or not isinstance(patterns, Sequence):
                raise ValueError("clean.boilerplate_patterns must be a list of regular expressions")
            d["boilerplate_patterns"] = tuple(patterns)
        settings = from_config(cls, d, "clean")
        settings.compiled_patterns  # validate now
        return settings

    @functools.cached_property
    def compiled_patterns(self) -> tuple[re.Pattern, ...]:
        compiled = []
        for p in self.boilerplate_patterns:
            if boilerplate.has_capitals(p):
                raise ValueError(f"clean.boilerplate_patterns: {p!r} has capitals, but paragraphs are lowercased")
            try:
                compiled.append(re.compile(p, re.MULTILINE))
            except re.error as e:
                raise ValueError(f"clean.boilerplate_patterns: bad regular expression {p!r}: {e}") from None
        return tuple(compiled)


# ----------------------------------------------------------------------- normalisation

# Mojibake: UTF-8 bytes decoded as cp1252 (or as Latin-1 where cp1252 has a hole).
_BYTE_OF: dict[str, int] = {}
for _b in range(0x80, 0x100):
    _BYTE_OF[chr(_b)] = _b  # the Latin-1 reading (and the C1 controls in cp1252's holes)
    try:
        _BYTE_OF[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        pass
_TO_LATIN1 = str.maketrans({c: chr(b) for c, b in _BYTE_OF.items() if ord(c) != b})
_CONT = "[" + "".join(re.escape(c) for c, b in sorted(_BYTE_OF.items()) if 0x80 <= b <= 0xBF) + "]"
# A run of what were UTF-8 sequences of two, three or four bytes.
_MOJIBAKE_RUN = re.compile(rf"(?:[\xc2-\xdf]{_CONT}|[\xe0-\xef]{_CONT}{{2}}|[\xf0-\xf4]{_CONT}{{3}})+")
# The tell-tales of Norwegian mojibake: Ã + a continuation (æøåÆØÅé...), Â + a
# Latin-1 sign (« » ° NBSP), â€ and â„ (dashes, quotes, €, ™). Only a text
# showing one is repaired, so a lone "Ø»" in clean text stays as it is.
_MOJIBAKE_TELL = re.compile(rf"Ã{_CONT}|Â[\xa0-\xbf]|â[€„]{_CONT}")


def _unmojibake_run(m: re.Match) -> str:
    s = m.group()
    try:
        return s.translate(_TO_LATIN1).encode("latin-1").decode("utf-8")
    except UnicodeError:  # not valid UTF-8 after all (overlong, surrogate): leave it
        return s


def fix_mojibake(text: str) -> tuple[str, bool]:
    """Repair UTF-8 text that was decoded as cp1252/Latin-1: (text, whether anything changed).

    Only the runs that were valid UTF-8 are re-decoded, so correctly decoded
    characters in the same text stay. Text that went through the mistake twice
    is repaired twice.
    """
    fixed = False
    for _ in range(2):
        if not ("Ã" in text or "Â" in text or "â" in text) or not _MOJIBAKE_TELL.search(text):
            break
        new = _MOJIBAKE_RUN.sub(_unmojibake_run, text)
        if new == text:
            break
        text, fixed = new, True
    return text, fixed


_BLOCK_TAGS = "br|p|div|li|ul|ol|tr|table|h[1-6]|hr|blockquote|section|article|header|footer|dd|dt|dl|pre"
_INLINE_TAGS = (
    "a|b|i|u|s|em|strong|span|font|small|big|sup|sub|code|tt|center|abbr|cite|q|mark|del|ins|img|td|th"
    "|tbody|thead|nav|aside|figure|figcaption|label|button|nobr|wbr|ref|references|nowiki|gallery|html|body"
)
_TAG = re.compile(rf"</?\s*(?:({_BLOCK_TAGS})|{_INLINE_TAGS})\b[^<>]*>", re.IGNORECASE)
# What a browser does not show: comments, scripts and styles, each up to its end.
_HIDDEN_START = re.compile(r"<!--|<(script|style)\b[^<>]*>", re.IGNORECASE)
_HIDDEN_END = {
    "": re.compile("-->"),
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_WIKI_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_WIKI_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_WIKI_LEFTOVER = re.compile(r"'{2,}|\[\[|\]\]|\{\{|\}\}|\{\||\|\}")
_WIKI_DROPPED_LINKS = ("kategori:", "category:", "fil:", "file:", "bilde:", "image:")


def _drop_hidden(text: str) -> str:
    """``text`` without comments, scripts and styles; an unclosed one is left as it is.

    A scan, not one regular expression: ``<!--.*?-->`` searches to the end of the
    text from every unclosed ``<!--``, quadratic in a page of them. Once one kind
    has no end after some point, no later one of that kind has either.
    """
    parts: list[str] = []
    pos = 0
    unclosed: set[str] = set()
    while len(unclosed) < len(_HIDDEN_END) and (start := _HIDDEN_START.search(text, pos)):
        kind = (start.group(1) or "").lower()
        end = None if kind in unclosed else _HIDDEN_END[kind].search(text, start.end())
        if end is None:
            unclosed.add(kind)
            parts.append(text[pos : start.end()])
            pos = start.end()
        else:
            parts.append(text[pos : start.start()])
            pos = end.end()
    parts.append(text[pos:])
    return "".join(parts)


def _wiki_heading(line: str) -> str:
    """``== Heading ==`` -> ``Heading`` (string methods: a regular expression is cubic on a line of "=")."""
    bare = line.rstrip(" ")
    if len(bare) >= 2 and bare[0] == "=" and bare[-1] == "=":
        return bare.strip("=").strip(" ")
    return line


def _tag_replacement(m: re.Match) -> str:
    return "\n" if m.group(1) else ""


def _unescape_entity(m: re.Match) -> str:
    return html.unescape(m.group())


def _wiki_link(m: re.Match) -> str:
    inner = m.group(1)
    if inner.lower().startswith(_WIKI_DROPPED_LINKS):
        return ""
    return inner.rsplit("|", 1)[-1]


def _repeat(pattern: re.Pattern, repl, text: str, times: int) -> str:
    for _ in range(times):
        new = pattern.sub(repl, text)
        if new == text:
            break
        text = new
    return text


_MARKUP_HINT = re.compile(r"[<&\[\]{}=']")


def strip_markup(text: str) -> str:
    """Remove HTML tags (block tags become paragraph breaks), unescape entities, drop wiki remnants.

    Wiki links keep their label (``[[Oslo|hovedstaden]]`` -> ``hovedstaden``),
    category and file links and templates (``{{...}}``) go, bold and italic
    quotes (``'''``) and stray brackets go, ``== Heading ==`` keeps its text.
    """
    if not _MARKUP_HINT.search(text):
        return text
    if "<" in text:
        text = _drop_hidden(text)
        text = _TAG.sub(_tag_replacement, text)
    if "&" in text:
        text = _repeat(_ENTITY, _unescape_entity, text, 2)  # "&amp;nbsp;" was escaped twice
    if "[[" in text:
        text = _WIKI_LINK.sub(_wiki_link, text)
    if "{{" in text:
        text = _repeat(_WIKI_TEMPLATE, "", text, 3)  # nested templates, innermost first
    if "==" in text:
        text = "\n".join(map(_wiki_heading, text.split("\n")))
    if "''" in text or "[[" in text or "]]" in text or "{" in text or "|}" in text:
        text = _WIKI_LEFTOVER.sub("", text)
    return text


# Everything str.split() and str.splitlines() treat as a break, except " " and "\n".
_ODD_SPACE = re.compile(r"[\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
# Invisible format characters that split or hide words; the joiners (ZWJ, ZWNJ) stay.
_INVISIBLE = frozenset("\u00ad\u200b\u2060\ufeff")
_REMOVED_CATEGORIES = frozenset(("Cc", "Co", "Cs", "Cn"))


def _needs_collapse(text: str) -> bool:
    return (
        not text
        or text[0] in " \n"
        or text[-1] in " \n"
        or "  " in text
        or "\n\n" in text
        or " \n" in text
        or "\n " in text
        or _ODD_SPACE.search(text) is not None
    )


def _collapse(text: str) -> str:
    """One space between words, one newline between paragraphs, no empty paragraph."""
    paragraphs = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(p for p in paragraphs if p)


@functools.lru_cache(maxsize=4096)
def _removed_char(c: str) -> bool:
    return c in _INVISIBLE or (c not in "\n\t" and unicodedata.category(c) in _REMOVED_CATEGORIES)


def remove_bad_characters(text: str) -> str:
    """Drop control (but newline and tab), private-use, surrogate, unassigned and invisible characters."""
    bad = [c for c in set(text) if _removed_char(c)]
    return text.translate(dict.fromkeys(map(ord, bad))) if bad else text


def _normalise(text: str) -> tuple[str, bool, bool]:
    """(normalised text, whether mojibake was repaired, whether the words may have changed).

    NFC and spacing never change the words ``str.split`` sees; mojibake repair,
    markup removal and removed characters may.
    """
    fixed = False
    if not text.isascii():
        text, fixed = fix_mojibake(text)
    stripped = strip_markup(text)
    words_may_differ = fixed or stripped != text
    text = stripped
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _needs_collapse(text):
        text = _collapse(text)
    # Once collapsed, only "other" characters (C*) are not printable: the rare case.
    if not text.replace("\n", " ").isprintable():
        removed = remove_bad_characters(text)
        if removed != text:
            text = _collapse(removed)
            words_may_differ = True
    return text, fixed, words_may_differ


def normalise(text: str) -> tuple[list[str], bool]:
    """The normalised paragraphs of ``text`` (none empty) and whether mojibake was repaired."""
    text, fixed, _ = _normalise(text)
    return (text.split("\n") if text else []), fixed


# ------------------------------------------------------------------- paragraph filters

_NON_LETTERS = re.compile(r"[\W\d_]+")
_URL_START = re.compile(r"https?://|ftp://|www\.")
_DOT_WORD = re.compile(r"\.\w")
_SENTENCE_END = tuple(".!?:;…»\"”)")
_NOT_ASCII_LETTER = bytes(b for b in range(256) if not (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A))
_NOT_UTF8_LEAD = bytes(range(0xC0))


def letters(text: str) -> int:
    """The number of letters in ``text``: word characters that are neither digits nor underscores."""
    return len(_NON_LETTERS.sub("", text))


def _letter_bounds(text: str) -> tuple[list[int], list[int]]:
    """Cheap bounds of ``letters(p)`` for every paragraph (line) of ``text``: its ASCII letters, and those plus its non-ASCII characters."""
    data = text.encode("utf-8", "surrogatepass")
    parts = data.split(b"\n")
    low = [len(x.translate(None, _NOT_ASCII_LETTER)) for x in parts]
    if data.isascii():
        return low, low
    return low, [n + len(x.translate(None, _NOT_UTF8_LEAD)) for n, x in zip(low, parts)]


def _without_urls(p: str) -> str:
    """``p`` without URLs and e-mail addresses, word by word (a regular expression for them
    backtracks over long runs without spaces: cubic time on "x@x@x@...")."""
    kept = []
    for word in p.split(" "):
        at = word.find("@", 1)
        if at > 0 and _DOT_WORD.search(word, at + 2):  # an e-mail address: the whole word
            continue
        url = _URL_START.search(word)
        kept.append(word[: url.start()] if url else word)
    return " ".join(kept)


def _is_text(p: str, words: int, low: int, high: int, s: Settings, may_have_urls: bool) -> bool:
    """Whether letters make up at least ``line_min_alpha_ratio`` of the paragraph's non-space characters."""
    threshold = s.line_min_alpha_ratio * (len(p) - words + 1)
    if may_have_urls and ("://" in p or "www." in p or "@" in p):
        return letters(_without_urls(p)) >= threshold  # URLs and e-mail addresses are not text
    if low >= threshold:
        return True
    if high < threshold:
        return False
    return letters(p) >= threshold


def _menu_like(p: str, words: int, s: Settings) -> bool:
    return words <= s.menu_max_words and p[0].isupper() and not p.endswith(_SENTENCE_END)


def _menu_runs(paragraphs: list[str], counts: list[int], s: Settings) -> set[int]:
    """Indexes of the paragraphs in runs of at least ``menu_min_run`` menu-like paragraphs."""
    found: set[int] = set()
    if s.menu_min_run <= 0:
        return found
    candidates = [i for i, w in enumerate(counts) if w <= s.menu_max_words and _menu_like(paragraphs[i], w, s)]
    run: list[int] = []
    for i in candidates:
        if run and i != run[-1] + 1:
            if len(run) >= s.menu_min_run:
                found.update(run)
            run = []
        run.append(i)
    if len(run) >= s.menu_min_run:
        found.update(run)
    return found


def _pattern_hits(paragraphs: list[str], counts: list[int], s: Settings) -> set[int]:
    """Indexes of the short paragraphs that match a boilerplate pattern."""
    patterns = s.compiled_patterns
    short = [i for i, w in enumerate(counts) if w <= s.boilerplate_max_words]
    if not patterns or not short:
        return set()
    # One search per pattern over all short paragraphs at once; most documents stop here.
    blob = "\n".join([paragraphs[i] for i in short]).lower()
    live = [r for r in patterns if r.search(blob)]
    if not live:
        return set()
    return {i for i, low in zip(short, blob.split("\n")) if any(r.search(low) for r in live)}


@dataclass
class Trimmed:
    """What the paragraph filters kept, and the words they removed by reason."""

    paragraphs: list[str]
    words_before: int
    words: int
    removed: dict[str, int] = field(default_factory=dict)
    letters_low: int = 0  # bounds of the letters of the kept paragraphs
    letters_high: int = 0


def filter_paragraphs(paragraphs: list[str], s: Settings) -> Trimmed:
    """Remove boilerplate, non-text and duplicate paragraphs (see :class:`Settings`)."""
    counts = [p.count(" ") + 1 for p in paragraphs]  # normalised: one space between words
    boilerplate = _pattern_hits(paragraphs, counts, s) | _menu_runs(paragraphs, counts, s)
    text = "\n".join(paragraphs)
    low, high = _letter_bounds(text)
    may_have_urls = "://" in text or "www." in text or "@" in text
    kept: list[str] = []
    removed: dict[str, int] = {}
    seen: set[str] = set()
    kept_words = kept_low = kept_high = 0
    for i, p in enumerate(paragraphs):
        w = counts[i]
        if i in boilerplate:
            reason = "boilerplate-lines"
        elif not _is_text(p, w, low[i], high[i], s, may_have_urls):
            reason = "non-text-lines"
        elif p in seen and s.remove_duplicate_lines:
            reason = "duplicate-lines"
        else:
            seen.add(p)
            kept.append(p)
            kept_words += w
            kept_low += low[i]
            kept_high += high[i]
            continue
        removed[reason] = removed.get(reason, 0) + w
    return Trimmed(kept, sum(counts), kept_words, removed, kept_low, kept_high)


# -------------------------------------------------------------------- document filters


@dataclass
class Measures:
    """What the document filters look at."""

    text: str  # after the paragraph filters
    words_before: int  # after normalisation, before the paragraph filters
    words: int  # after the paragraph filters
    letters_low: int  # bounds of letters(text), exact value computed only if needed
    letters_high: int

    @classmethod
    def of(cls, trimmed: Trimmed) -> "Measures":
        return cls("\n".join(trimmed.paragraphs), trimmed.words_before, trimmed.words,
                   trimmed.letters_low, trimmed.letters_high)

    @property
    def removed(self) -> int:
        return self.words_before - self.words

    @property
    def non_space(self) -> int:
        return len(self.text) - self.words + 1 if self.words else 0  # one separator between words


def too_short_before(m: Measures, s: Settings) -> str | None:
    """A document short to begin with is too-short, whatever its paragraphs are."""
    return "too-short" if m.words_before < s.min_words else None


def mostly_boilerplate(m: Measures, s: Settings) -> str | None:
    return "mostly-boilerplate" if m.removed > s.max_boilerplate_fraction * m.words_before else None


def too_short(m: Measures, s: Settings) -> str | None:
    return "too-short" if m.words < s.min_words else None


def too_long(m: Measures, s: Settings) -> str | None:
    return "too-long" if m.words > s.max_words else None


def low_alpha_ratio(m: Measures, s: Settings) -> str | None:
    threshold = s.min_alpha_ratio * m.non_space
    if m.letters_low >= threshold:
        return None
    if m.letters_high < threshold or letters(m.text) < threshold:
        return "low-alpha-ratio"
    return None


def mean_word_length(m: Measures, s: Settings) -> str | None:
    if not m.words:
        return None
    mean = m.non_space / m.words
    if mean < s.min_mean_word_length or mean > s.max_mean_word_length:
        return "mean-word-length"
    return None


DOCUMENT_FILTERS: tuple[Callable[[Measures, Settings], str | None], ...] = (
    too_short_before,
    mostly_boilerplate,
    too_short,
    too_long,
    low_alpha_ratio,
    mean_word_length,
)

LINE_REASONS = ("boilerplate-lines", "non-text-lines", "duplicate-lines")
DOCUMENT_REASONS = ("too-short", "mostly-boilerplate", "too-long", "low-alpha-ratio", "mean-word-length")


# ------------------------------------------------------------------------------- step

Result = Union[Document, str, tuple[Document, dict[str, int]]]


def clean_document(doc: Document, settings: Settings | None = None) -> Result:
    """Clean one document: the kept document, the reason it is dropped, or ``(doc, words removed by reason)``.

    The input document is left as it is (a dropped one goes to the audit file
    unchanged); a kept one is a new Document.
    """
    s = settings or DEFAULT_SETTINGS
    text, mojibake_fixed, words_may_differ = _normalise(doc.text)
    trimmed = filter_paragraphs(text.split("\n") if text else [], s)
    m = Measures.of(trimmed)
    for check in DOCUMENT_FILTERS:
        reason = check(m, s)
        if reason:
            return reason

    meta = doc.meta
    if mojibake_fixed:
        meta = {**meta, "clean": {**meta.get("clean", {}), "mojibake_fixed": True}}
    out = Document(id=doc.id, source=doc.source, text=m.text, lang=doc.lang, meta=meta)
    removed = dict(trimmed.removed)
    if words_may_differ:
        normalisation = len(doc.text.split()) - trimmed.words_before
        if normalisation:
            removed["normalisation"] = normalisation
    return (out, removed) if removed else out


DEFAULT_SETTINGS = Settings()


def make_step(settings: Settings | dict | None = None) -> Callable[[Document], Result]:
    """A ``step(doc)`` for :func:`smie.shard_filter.filter_shard`, from Settings or the ``clean:`` config mapping."""
    s = settings if isinstance(settings, Settings) else Settings.from_dict(settings)
    s.compiled_patterns  # compile (and validate) the patterns now, not on the first document

    def step(doc: Document) -> Result:
        return clean_document(doc, s)

    return step
