"""Fine-grained (structured) sentiment on NoReC_fine: the reader and Sentiment Graph F1.

The reader takes the NoReC_fine JSON format: an array of ``{"sent_id", "text",
"opinions"}``, where each opinion gives its holder (``Source``), ``Target`` and
``Polar_expression`` as ``[[texts], ["start:end" character offsets]]`` (several
offsets for a discontinuous span, none for an implicit holder or target).

The scorer implements the sentiment tuple F1 ("Sentiment Graph F1") of the
SemEval-2022 shared task 10 on structured sentiment analysis (Barnes et al., 2022),
following the semantics of the task's official scorer, ``evaluation/evaluate.py`` in
the jerbarnes/semeval22_structured_sentiment repository:

- Each opinion becomes a tuple (holder, target, expression, polarity) of sets of token
  indices; tokens are the pieces of the text between single spaces. A character span
  starts at the token that begins at its start offset and runs to the token that ends
  at its end offset (a start that begins no token gives no tokens; an end that ends
  none runs to the end of the sentence). NoReC_fine's offsets are all token-aligned.
- An empty holder or target stands for an implicit one: it matches only another empty
  one and then counts as full overlap. An empty expression matches nothing.
- A tuple matches a list of tuples when one of them has the same polarity and
  shares at least one token in each of holder, target and expression. Matches are not
  one-to-one: several predictions may match the same gold tuple.
- Weighted (the official score): a matched tuple earns the best, over every tuple of
  the other side that overlaps it in all three parts, of the mean of
  |own part ∩ other part| / |own part| over the three parts. The denominator is the
  scored tuple's own size (the predicted tuple's for precision, the gold tuple's for
  recall). As in the official code, this best overlap does not look at polarity.
  Unweighted (``weighted=False``): a matched tuple earns 1; this is still an overlap
  match, not exact span equality.
- Precision = credit of predicted tuples / number of predicted tuples, recall = credit
  of gold tuples / number of gold tuples, F1 their harmonic mean; each is 0 when its
  denominator is 0 (the official code adds a tiny epsilon instead, with the same result).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from smie.documents import InputError
from smie.evaluate.data import read_json_array

Span = tuple[int, int]
POLARITIES = ("Positive", "Negative", "Neutral")
_PARTS = (("Source", "holder"), ("Target", "target"), ("Polar_expression", "expression"))
_OFFSET = re.compile(r"(\d+):(\d+)")


@dataclass(frozen=True)
class Opinion:
    holder: tuple[Span, ...]
    target: tuple[Span, ...]
    expression: tuple[Span, ...]
    polarity: str | None  # NoReC_fine train has two opinions with a null polarity
    intensity: str | None = None


@dataclass(frozen=True)
class FineSentence:
    id: str
    text: str
    opinions: tuple[Opinion, ...]


def read_norec_fine(path: str | Path) -> list[FineSentence]:
    """The sentences of a NoReC_fine JSON file, with every offset checked against the text."""
    items = read_json_array(path)
    sentences, seen = [], set()
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not {"sent_id", "text", "opinions"} <= item.keys():
            raise InputError(f"{path}: sentence {i} lacks sent_id, text or opinions")
        sent_id = str(item["sent_id"])
        where = f"{path}: sentence {i} ({sent_id})"
        if not isinstance(item["text"], str) or not isinstance(item["opinions"], list):
            raise InputError(f"{where}: text must be a string and opinions a list")
        if sent_id in seen:
            raise InputError(f"{where}: duplicate sent_id")
        seen.add(sent_id)
        opinions = tuple(_opinion(o, item["text"], f"{where}, opinion {j}") for j, o in enumerate(item["opinions"]))
        sentences.append(FineSentence(sent_id, item["text"], opinions))
    if not sentences:
        raise InputError(f"{path}: no sentences")
    return sentences


def _opinion(raw, text: str, where: str) -> Opinion:
    keys = {key for key, _ in _PARTS} | {"Polarity"}
    if not isinstance(raw, dict) or not keys <= raw.keys():
        raise InputError(f"{where}: lacks one of {sorted(keys)}")
    if raw["Polarity"] is not None and raw["Polarity"] not in POLARITIES:
        raise InputError(f"{where}: polarity {raw['Polarity']!r} is not one of {POLARITIES}")
    parts = {name: _spans(raw[key], text, f"{where}, {key}") for key, name in _PARTS}
    return Opinion(**parts, polarity=raw["Polarity"], intensity=raw.get("Intensity"))


def _spans(raw, text: str, where: str) -> tuple[Span, ...]:
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, list) for x in raw)
            and len(raw[0]) == len(raw[1])):
        raise InputError(f"{where}: expected [[texts], [offsets]] with as many texts as offsets")
    spans = []
    for given, offset in zip(*raw):
        match = _OFFSET.fullmatch(offset) if isinstance(offset, str) else None
        if not match:
            raise InputError(f"{where}: offset {offset!r} is not \"start:end\"")
        start, end = int(match[1]), int(match[2])
        if not start < end <= len(text):
            raise InputError(f"{where}: offset {offset!r} is not a span inside the text (length {len(text)})")
        if text[start:end] != given:
            raise InputError(f"{where}: offset {offset!r} covers {text[start:end]!r}, not the given {given!r}")
        spans.append((start, end))
    return tuple(spans)


# --- Sentiment Graph F1 ------------------------------------------------------------

_IMPLICIT = frozenset({-1})  # stands for an empty holder or target; no real token index is negative


def token_spans(text: str) -> list[Span]:
    """Character spans of the pieces between single spaces, as the official scorer's tokenizer
    gives them: an empty piece between two spaces is a token, a leading or trailing one is not."""
    spans, start = [], 0
    for piece in text.split(" "):
        if piece or 0 < start < len(text):
            spans.append((start, start + len(piece)))
        start += len(piece) + 1
    return spans


def token_indices(spans: tuple[Span, ...], tokens: list[Span]) -> frozenset[int]:
    indices = set()
    for start, end in spans:
        inside = False  # on from the token starting at `start` to the one ending at `end`
        for i, (b, e) in enumerate(tokens):
            inside = inside or b == start
            if inside:
                indices.add(i)
            if e == end:
                inside = False
    return frozenset(indices)


def _tuples(sentence: FineSentence) -> list[tuple]:
    tokens = token_spans(sentence.text)
    return [(token_indices(o.holder, tokens) or _IMPLICIT, token_indices(o.target, tokens) or _IMPLICIT,
             token_indices(o.expression, tokens), o.polarity) for o in sentence.opinions]


def _overlap(own: tuple, other: tuple) -> float | None:
    """Mean share of own's holder, target and expression tokens found in other's; None unless all
    three intersect."""
    common = [a & b for a, b in zip(own[:3], other[:3])]
    if not all(common):
        return None
    return sum(len(c) / len(a) for c, a in zip(common, own[:3])) / 3


def _credit(own: tuple, others: list[tuple], weighted: bool, keep_polarity: bool) -> float | None:
    """What `own` earns against the other side's tuples of its sentence; None when it matches none."""
    overlaps = [(_overlap(own, other), other[3]) for other in others]
    if not any(o is not None and (pol == own[3] or not keep_polarity) for o, pol in overlaps):
        return None
    # the official best overlap is taken over all overlapping tuples, whatever their polarity
    return max(o for o, _ in overlaps if o is not None) if weighted else 1.0


def _side(scored: dict, against: dict, weighted: bool, keep_polarity: bool) -> tuple[int, int, float]:
    """(tuples, matched tuples, credit) of one side scored against the other."""
    n = matched = 0
    credit = 0.0
    for sent_id, tuples in scored.items():
        for t in tuples:
            n += 1
            c = _credit(t, against[sent_id], weighted, keep_polarity)
            if c is not None:
                matched += 1
                credit += c
    return n, matched, credit


def sentiment_graph_f1(gold: list[FineSentence], predicted: list[FineSentence], weighted: bool = True,
                       keep_polarity: bool = True) -> dict:
    """Sentiment Graph F1 of the predicted opinions, sentences paired by id (see the module docstring).

    ``keep_polarity=False`` gives the official non-polar variant, where polarity need not match.
    """
    gold_by_id, pred_by_id = _by_id(gold, "gold"), _by_id(predicted, "predicted")
    if gold_by_id.keys() != pred_by_id.keys():
        missing = sorted(gold_by_id.keys() - pred_by_id.keys())
        extra = sorted(pred_by_id.keys() - gold_by_id.keys())
        raise ValueError(f"predicted sentence ids differ from gold: {len(missing)} missing {missing[:5]}, "
                         f"{len(extra)} not in gold {extra[:5]}")
    for sent_id, g in gold_by_id.items():
        # token indices are compared across the two sides, so both must tokenize the same text
        if pred_by_id[sent_id].text != g.text:
            raise ValueError(f"sentence {sent_id}: predicted text differs from the gold text")
    gold_t = {i: _tuples(s) for i, s in gold_by_id.items()}
    pred_t = {i: _tuples(s) for i, s in pred_by_id.items()}
    n_pred, matched_pred, credit_pred = _side(pred_t, gold_t, weighted, keep_polarity)
    n_gold, matched_gold, credit_gold = _side(gold_t, pred_t, weighted, keep_polarity)
    precision = credit_pred / n_pred if n_pred else 0.0
    recall = credit_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold_tuples": n_gold,
            "predicted_tuples": n_pred, "matched_gold": matched_gold, "matched_predicted": matched_pred}


def _by_id(sentences: list[FineSentence], side: str) -> dict[str, FineSentence]:
    by_id = {s.id: s for s in sentences}
    if len(by_id) != len(sentences):
        raise ValueError(f"{side} sentences have duplicate ids")
    return by_id
