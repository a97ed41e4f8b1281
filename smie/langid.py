"""Language identification: the langid stage's per-document step.

Detector
--------
Every text is first identified by polyglot's ``polyglot.detect.Detector`` (CLD2, the
Compact Language Detector 2, underneath). Its labels are mapped to ISO 639-1, with
``no`` (Norwegian, which CLD2 trains on Bokmål) becoming ``nb``; Nynorsk is ``nn``;
text it cannot place is ``unknown``. CLD2 refuses control characters, lone surrogates
and noncharacters (polyglot raises), so they are replaced by spaces first; polyglot's
warning for every unreliable text is silenced (``quiet=True`` does not).

``reliable`` is polyglot's flag: CLD2 placed the text without falling back to its
best-effort guess, which on a short text is often English ("Stille.", "Masse
røyk." come out ``en``).

Second opinion
--------------
CLD2 tells Bokmål from Nynorsk in 86% of single sentences, and short texts defeat it
(bench/README.md). With ``second_opinion: discriminator`` the classifier the workflow
trains (:mod:`smie.discriminator`, rule train_discriminator) decides where polyglot
reliably answers one of the ``confusable`` languages (nb, nn, da, sv), choosing among
those, and where polyglot is unreliable, choosing among all it knows; its label and
probability replace polyglot's. Text without letters stays ``unknown``. ``lingua`` (restricted to Bokmål, Nynorsk,
Danish, Swedish and English) can decide instead. ``null``: polyglot alone.

Confidence
----------
``confidence`` is polyglot's share of the text in its top language (CLD2's percent of
letter bytes / 100; 0.0 for ``unknown``), or the second opinion's probability where
it decided. Every document gets ``doc.lang`` (the label) and ``doc.meta["langid"]``::

    {"label": "nb", "confidence": 0.97, "backend": "polyglot", "reliable": true,
     "level": "document"}

plus, at paragraph level, ``"paragraphs"``: the number of paragraphs and how many were
trimmed; with a second opinion, ``"detector_label"`` (polyglot's answer) and
``"second_opinion"`` (the label and confidence of the second opinion, or null where it
was not asked).

Keep rule
---------
A document is kept when its label is in ``Settings.keep`` and its confidence is at
least ``Settings.threshold``; otherwise it is dropped with reason ``lang-<label>``
(``lang-da``, ``lang-en``, ``lang-unknown``) or, for a kept language below the
threshold, ``low-confidence``.

At ``level="paragraph"`` every paragraph (line of ``text``) is identified on its own.
Paragraphs shorter than ``min_paragraph_words`` words, or that cannot be placed, are
*undecided*: they follow the document. The document's label is the label carrying most
words among the decided paragraphs, and its confidence the word-weighted mean
confidence of the paragraphs with that label. A kept document loses its decided
paragraphs in other languages, counted as trimmed words under
``other-language-lines``. A document with no decided paragraph is identified as a
whole.

Language distribution
---------------------
The step counts the label of every document it sees, kept or dropped, in
``step.counts`` (documents) and ``step.words`` (words); a rule script can write them
next to the stage's stats. :func:`language_table` turns such counts (or an iterable of
documents, e.g. a stage's kept and dropped shards read back) into rows ``language,
records, share``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from polyglot.detect import Detector

from smie.documents import Document, word_count
from smie.settings import from_config

UNKNOWN = "unknown"
#: CLD2 labels that differ from the ISO 639-1 code we use.
CLD2_LABELS = {"no": "nb", "un": UNKNOWN, "xxx": UNKNOWN}
LEVELS = ("document", "paragraph")
SECOND_OPINIONS = (None, "discriminator", "lingua")
TRIM_REASON = "other-language-lines"
LOW_CONFIDENCE = "low-confidence"

# What CLD2 refuses (polyglot raises pycld2.error or UnicodeEncodeError): C0 controls
# but tab, newline, form feed and carriage return; DEL and the C1 controls; surrogates;
# the noncharacters U+FDD0..U+FDEF and the last two code points of every plane
_CLD2_REFUSES = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(chr(plane * 0x10000 + 0xFFFE) + chr(plane * 0x10000 + 0xFFFF) for plane in range(17))
    + "]"
)
# polyglot logs a warning for every text it identifies unreliably, quiet or not
logging.getLogger("polyglot.detect.base").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Settings:
    """What the langid step keeps. Defaults:

    - ``keep = ("nb", "nn")``: ISO 639-1 labels to keep.
    - ``threshold = 0.5``: least confidence for a kept language; below it the reason
      is ``low-confidence``.
    - ``level = "document"``: or ``"paragraph"`` (identify each line, trim
      paragraphs in other languages, label the document by majority of words).
    - ``min_paragraph_words = 5``: at paragraph level, shorter paragraphs follow
      the document instead of being judged alone.
    - ``second_opinion = None``: or ``"discriminator"`` or ``"lingua"`` (see the
      module docstring).
    - ``confusable = ("nb", "nn", "da", "sv")``: polyglot's answers the second opinion
      checks (besides every unreliable one).
    """

    keep: tuple[str, ...] = ("nb", "nn")
    threshold: float = 0.5
    level: str = "document"
    min_paragraph_words: int = 5
    second_opinion: str | None = None
    confusable: tuple[str, ...] = ("nb", "nn", "da", "sv")

    def __post_init__(self):
        object.__setattr__(self, "keep", tuple(self.keep))
        object.__setattr__(self, "confusable", tuple(self.confusable))
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


# --- the detector ---------------------------------------------------------------------


def identify_polyglot(text: str) -> tuple[str, float, bool]:
    """polyglot's ``(label, confidence, reliable)`` for ``text``."""
    detector = Detector(_CLD2_REFUSES.sub(" ", text), quiet=True)
    language = detector.language
    label = CLD2_LABELS.get(language.code, language.code)
    if label == UNKNOWN:
        return UNKNOWN, 0.0, False
    return label, language.confidence / 100.0, detector.reliable


def identify(text: str) -> tuple[str, float]:
    """polyglot's label (ISO 639-1, ``nb`` for Bokmål, or ``unknown``) and confidence (0..1)."""
    label, confidence, _ = identify_polyglot(text)
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


def identify_lingua(text: str, among: Iterable[str] | None = None) -> tuple[str, float]:
    """lingua's label among nb/nn/da/sv/en (or those of them in ``among``) and its
    relative confidence (0..1)."""
    values = _lingua().compute_language_confidence_values(_CLD2_REFUSES.sub(" ", text))
    for value in values:
        label = value.language.iso_code_639_1.name.lower()
        if value.value > 0.0 and (among is None or label in among):
            return label, float(value.value)
    return UNKNOWN, 0.0


# --- the step -----------------------------------------------------------------------


@dataclass
class _Verdict:
    label: str
    confidence: float
    reliable: bool
    detector_label: str
    second: tuple[str, float] | None = None


class Judge:
    """``judge(text)``: polyglot's verdict, and the second opinion's where it applies:
    where polyglot reliably answers a ``confusable`` language, the second opinion
    chooses among those; where polyglot is unreliable, among all it knows (where it
    finds no language at all, no letters, there is nothing to ask)."""

    def __init__(self, settings: Settings, second: Callable[..., tuple[str, float]] | None = None):
        self.settings = settings
        self.second = second

    def __call__(self, text: str) -> _Verdict:
        label, confidence, reliable = identify_polyglot(text)
        verdict = _Verdict(label, confidence, reliable, label)
        if self.second is not None and label != UNKNOWN and (not reliable or label in self.settings.confusable):
            verdict.second = self.second(text, among=self.settings.confusable if reliable else None)
            if verdict.second[0] != UNKNOWN:
                verdict.label, verdict.confidence = verdict.second
        return verdict


def second_opinion(settings: Settings, discriminator: str | None = None) -> Callable[..., tuple[str, float]] | None:
    """The second opinion ``settings`` ask for: the discriminator's model file, or lingua."""
    if settings.second_opinion == "discriminator":
        if discriminator is None:
            raise ValueError("langid second_opinion 'discriminator' needs the trained model's file")
        from smie.discriminator import Discriminator

        return Discriminator(discriminator)
    if settings.second_opinion == "lingua":
        return identify_lingua
    return None


def _decide(label: str, confidence: float, settings: Settings) -> str | None:
    """None to keep, else the drop reason."""
    if label not in settings.keep:
        return f"lang-{label}"
    if confidence < settings.threshold:
        return LOW_CONFIDENCE
    return None


def make_step(settings: Settings | None = None, discriminator: str | None = None):
    """A :mod:`smie.shard_filter` step applying ``settings``; see the module docstring.
    ``discriminator``: the trained model's file, for ``second_opinion: discriminator``.

    The returned function carries ``counts`` and ``words``: Counters of the
    label given to every document seen (kept or dropped).
    """
    settings = settings or Settings()
    judge = Judge(settings, second_opinion(settings, discriminator))
    backend = "polyglot" if settings.second_opinion is None else f"polyglot+{settings.second_opinion}"

    def meta_of(v: _Verdict) -> dict:
        meta = {
            "label": v.label,
            "confidence": round(v.confidence, 4),
            "backend": backend,
            "reliable": v.reliable,
            "level": settings.level,
        }
        if settings.second_opinion is not None:
            meta["detector_label"] = v.detector_label
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
        v = judge(doc.text)
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
            v = judge(p)
            if v.label == UNKNOWN:
                verdicts.append(None)
                continue
            verdicts.append(v)
            by_label[v.label] += n
        total_words = word_count(doc.text)
        if not by_label:  # nothing decided alone: judge the document as a whole
            v = judge(doc.text)
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
                           first.detector_label, first.second)
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
