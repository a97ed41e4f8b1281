"""Language identification: the langid stage's per-document step.

Backend
-------
The primary backend is CLD2 (Compact Language Detector 2), the engine behind
polyglot's ``polyglot.detect.Detector``. We call it directly through ``pycld2``:
polyglot's wrapper adds nothing we need, costs about twice the time, and would
pull in PyICU (a C++ build) for language names only.

CLD2's labels are mapped to ISO 639-1, with its ``no`` (Norwegian, which CLD2
trains on Bokmål) becoming ``nb``; Nynorsk is ``nn``. Text CLD2 cannot place
(no letters, too little text) is ``unknown``.

Confidence
----------
``confidence`` is the share of the text (CLD2 scores bytes of letters) that CLD2
attributes to its top language: its ``percent`` divided by 100, a value in 0..1,
0.0 for ``unknown``. It says how much of the text is in one identifiable
language, not how sure CLD2 is between two close languages. CLD2's own
``reliable`` flag and its normalised score are kept in the metadata as well.

Every document gets ``doc.lang`` (the label) and ``doc.meta["langid"]``::

    {"label": "nb", "confidence": 0.97, "backend": "cld2",
     "reliable": true, "level": "document"}

plus, at paragraph level, ``"paragraphs"``: the number of paragraphs and how many
were trimmed; with a second opinion, ``"cld2_label"`` (CLD2's own answer) and
``"second_opinion"`` (the other backend's label and confidence).

Keep rule
---------
A document is kept when its label is in ``Settings.keep`` and its confidence is
at least ``Settings.threshold``; otherwise it is dropped with reason
``lang-<label>`` (``lang-da``, ``lang-en``, ``lang-unknown``) or, for a kept
language below the threshold, ``low-confidence``.

At ``level="paragraph"`` every paragraph (line of ``text``) is identified on its
own. Paragraphs shorter than ``min_paragraph_words`` words, or that CLD2 cannot
place, are *undecided*: they follow the document. The document's label is the
label carrying most words among the decided paragraphs, and its confidence the
word-weighted mean confidence of the paragraphs with that label. A kept
document loses its decided paragraphs in other languages, counted as trimmed
words under ``other-language-lines``. A document with no decided paragraph is
identified as a whole.

Second opinion
--------------
``second_opinion="lingua"`` asks lingua (restricted to Bokmål, Nynorsk,
Danish, Swedish and English) whenever CLD2 says ``nb``/``nn``/``da``/``sv``,
and takes its label. The threshold still applies to CLD2's confidence. Measured
on UD dev data it does not help at document level (see bench/LANGID.md), so it
is off by default.

Language distribution
---------------------
The step counts the label of every document it sees, kept or dropped, in
``step.counts`` (documents) and ``step.words`` (words); a rule script can write
them next to the stage's stats. :func:`language_table` turns such counts (or an
iterable of documents, e.g. a stage's kept and dropped shards read back) into
rows ``language, records, share``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

import pycld2

from smie.documents import Document, word_count
from smie.settings import from_config

UNKNOWN = "unknown"
#: CLD2 labels that differ from the ISO 639-1 code we use.
CLD2_LABELS = {"no": "nb", "un": UNKNOWN, "xxx": UNKNOWN}
#: The set CLD2 confuses among itself, handed to the second opinion.
SCANDINAVIAN = frozenset({"nb", "nn", "da", "sv"})
LEVELS = ("document", "paragraph")
SECOND_OPINIONS = (None, "lingua")
TRIM_REASON = "other-language-lines"
LOW_CONFIDENCE = "low-confidence"


@dataclass(frozen=True)
class Settings:
    """What the langid step keeps. Defaults:

    - ``keep = ("nb", "nn")``: ISO 639-1 labels to keep.
    - ``threshold = 0.5``: least confidence (share of the text in the top
      language) for a kept language; below it the reason is ``low-confidence``.
    - ``level = "document"``: or ``"paragraph"`` (identify each line, trim
      paragraphs in other languages, label the document by majority of words).
    - ``min_paragraph_words = 5``: at paragraph level, shorter paragraphs follow
      the document instead of being judged alone.
    - ``second_opinion = None``: or ``"lingua"`` (see the module docstring).
    """

    keep: tuple[str, ...] = ("nb", "nn")
    threshold: float = 0.5
    level: str = "document"
    min_paragraph_words: int = 5
    second_opinion: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "keep", tuple(self.keep))
        if self.level not in LEVELS:
            raise ValueError(f"langid level must be one of {LEVELS}, not {self.level!r}")
        if self.second_opinion not in SECOND_OPINIONS:
            raise ValueError(
                f"langid second_opinion must be one of {SECOND_OPINIONS}, not {self.second_opinion!r}"
            )
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"langid threshold must be within 0..1, not {self.threshold!r}")
        if self.min_paragraph_words < 0:
            raise ValueError("langid min_paragraph_words must not be negative")

    @classmethod
    def from_dict(cls, d: Mapping | None) -> "Settings":
        """Settings from a config mapping; missing keys take the defaults, unknown keys are an error."""
        return from_config(cls, d, "langid")


# --- CLD2 -------------------------------------------------------------------------


def _strip_control(text: str) -> str:
    """Replace every Unicode category C* character (controls, format, surrogates,
    private use, unassigned) by a space; CLD2 rejects some of them."""
    return "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)


def _cld2(text: str) -> tuple[bool, tuple]:
    try:
        reliable, _, details = pycld2.detect(text, isPlainText=True, bestEffort=True)
    except (pycld2.error, UnicodeEncodeError, ValueError):
        reliable, _, details = pycld2.detect(_strip_control(text), isPlainText=True, bestEffort=True)
    return reliable, details


def identify_cld2(text: str) -> tuple[str, float, bool]:
    """CLD2's ``(label, confidence, reliable)`` for ``text``."""
    reliable, details = _cld2(text)
    _, code, percent, _ = details[0]
    label = CLD2_LABELS.get(code, code)
    if label == UNKNOWN:
        return UNKNOWN, 0.0, False
    return label, percent / 100.0, bool(reliable)


def identify(text: str) -> tuple[str, float]:
    """The CLD2 label (ISO 639-1, ``nb`` for Bokmål, or ``unknown``) and confidence (0..1)."""
    label, confidence, _ = identify_cld2(text)
    return label, confidence


# --- lingua (optional second opinion) ----------------------------------------------

_LINGUA = None


def _lingua():
    global _LINGUA
    if _LINGUA is None:
        try:
            from lingua import Language, LanguageDetectorBuilder
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise RuntimeError(
                "langid second_opinion 'lingua' needs the lingua-language-detector package"
            ) from e
        languages = [Language.BOKMAL, Language.NYNORSK, Language.DANISH, Language.SWEDISH, Language.ENGLISH]
        _LINGUA = LanguageDetectorBuilder.from_languages(*languages).build()
    return _LINGUA


def identify_lingua(text: str) -> tuple[str, float]:
    """lingua's label among nb/nn/da/sv/en and its relative confidence (0..1)."""
    values = _lingua().compute_language_confidence_values(_strip_control(text))
    if not values or values[0].value <= 0.0:
        return UNKNOWN, 0.0
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), float(top.value)


# --- the step -----------------------------------------------------------------------


@dataclass
class _Verdict:
    label: str
    confidence: float
    reliable: bool
    cld2_label: str
    second: tuple[str, float] | None = None


def _judge(text: str, settings: Settings) -> _Verdict:
    label, confidence, reliable = identify_cld2(text)
    verdict = _Verdict(label, confidence, reliable, label)
    if settings.second_opinion == "lingua" and label in SCANDINAVIAN:
        verdict.second = identify_lingua(text)
        if verdict.second[0] != UNKNOWN:
            verdict.label = verdict.second[0]
    return verdict


def _decide(label: str, confidence: float, settings: Settings) -> str | None:
    """None to keep, else the drop reason."""
    if label not in settings.keep:
        return f"lang-{label}"
    if confidence < settings.threshold:
        return LOW_CONFIDENCE
    return None


def make_step(settings: Settings | None = None):
    """A :mod:`smie.shard_filter` step applying ``settings``; see the module docstring.

    The returned function carries ``counts`` and ``words``: Counters of the
    label given to every document seen (kept or dropped).
    """
    settings = settings or Settings()
    backend = "cld2" if settings.second_opinion is None else f"cld2+{settings.second_opinion}"

    def meta_of(v: _Verdict) -> dict:
        meta = {
            "label": v.label,
            "confidence": round(v.confidence, 4),
            "backend": backend,
            "reliable": v.reliable,
            "level": settings.level,
        }
        if settings.second_opinion is not None:
            meta["cld2_label"] = v.cld2_label
            meta["second_opinion"] = (
                None if v.second is None else {"label": v.second[0], "confidence": round(v.second[1], 4)}
            )
        return meta

    def finish(doc: Document, label: str, meta: dict, words: int):
        doc.lang = label
        doc.meta["langid"] = meta
        step.counts[label] += 1
        step.words[label] += words

    def document_step(doc: Document):
        v = _judge(doc.text, settings)
        finish(doc, v.label, meta_of(v), word_count(doc.text))
        return _decide(v.label, v.confidence, settings) or doc

    def paragraph_step(doc: Document):
        paragraphs = doc.text.split("\n")
        verdicts: list[_Verdict | None] = []
        by_label: Counter = Counter()
        for p in paragraphs:
            n = word_count(p)
            if n == 0 or n < settings.min_paragraph_words:
                verdicts.append(None)
                continue
            v = _judge(p, settings)
            if v.label == UNKNOWN:
                verdicts.append(None)
                continue
            verdicts.append(v)
            by_label[v.label] += n
        total_words = word_count(doc.text)
        if not by_label:  # nothing decided alone: judge the document as a whole
            v = _judge(doc.text, settings)
            meta = meta_of(v)
            meta["paragraphs"] = {"total": len(paragraphs), "trimmed": 0}
            finish(doc, v.label, meta, total_words)
            return _decide(v.label, v.confidence, settings) or doc
        # majority by words; ties go to the label seen first
        label = max(by_label, key=lambda lab: (by_label[lab], -_first(verdicts, lab)))
        weighted = [(v.confidence, word_count(p)) for p, v in zip(paragraphs, verdicts) if v and v.label == label]
        confidence = sum(c * n for c, n in weighted) / sum(n for _, n in weighted)
        first = next(v for v in verdicts if v and v.label == label)
        summary = _Verdict(label, confidence, any(v.reliable for v in verdicts if v and v.label == label),
                           first.cld2_label, first.second)
        meta = meta_of(summary)
        reason = _decide(label, confidence, settings)
        if reason is not None:
            meta["paragraphs"] = {"total": len(paragraphs), "trimmed": 0}
            finish(doc, label, meta, total_words)
            return reason
        kept, trimmed_words, trimmed = [], 0, 0
        for p, v in zip(paragraphs, verdicts):
            if v is not None and v.label not in settings.keep:
                trimmed_words += word_count(p)
                trimmed += 1
            else:
                kept.append(p)
        meta["paragraphs"] = {"total": len(paragraphs), "trimmed": trimmed}
        finish(doc, label, meta, total_words - trimmed_words)
        if trimmed == 0:
            return doc
        doc.text = "\n".join(kept)
        return doc, {TRIM_REASON: trimmed_words}

    step = document_step if settings.level == "document" else paragraph_step
    step.counts = Counter()
    step.words = Counter()
    step.settings = settings
    return step


def _first(verdicts: list, label: str) -> int:
    return next(i for i, v in enumerate(verdicts) if v and v.label == label)


# --- language distribution ------------------------------------------------------------


def count_languages(records: Iterable[Document | dict]) -> Counter:
    """Documents per label, from Documents or their JSON dicts (``lang``, else ``meta.langid.label``)."""
    counts: Counter = Counter()
    for r in records:
        if isinstance(r, Document):
            lang, meta = r.lang, r.meta
        else:
            lang, meta = r.get("lang"), r.get("meta") or {}
        counts[lang or (meta.get("langid") or {}).get("label") or UNKNOWN] += 1
    return counts


def language_table(stats_or_counts: Mapping[str, int] | Iterable[Document | dict]) -> list[dict]:
    """Rows ``{"language", "records", "share"}``, most records first (ties by label).

    Takes a mapping label -> records (``step.counts``, or several shards' counts
    summed), or an iterable of documents (e.g. a source's kept and dropped shards
    of the langid stage together). ``share`` is records / all records (0.0 when empty).
    """
    if isinstance(stats_or_counts, Mapping):
        counts = Counter({str(k): int(v) for k, v in stats_or_counts.items()})
    else:
        counts = count_languages(stats_or_counts)
    total = sum(counts.values())
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        {"language": lang, "records": n, "share": (n / total) if total else 0.0}
        for lang, n in rows
        if n > 0
    ]
