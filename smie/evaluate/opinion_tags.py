"""NoReC_fine's opinion graphs as word tags, and back: how smie predicts them.

Each word gets one tag joining three BIO layers, holder, target and polar expression
(the expression's carrying its polarity), e.g. ``B-holder|O|I-Positive``. Any token
tagger then predicts the graphs: smie's PoS taggers do, a BERT fine-tuned on its
first subwords, a BiLSTM on frozen ELMo vectors. Decoding reads the spans of each
layer; every expression span becomes an opinion, linked to the nearest holder span
and the nearest target span of its sentence, or to none (implicit) when the sentence
has none.

Chosen because it is simple and sound: one tagger, no separate relation model, and
most NoReC_fine sentences hold one or two opinions, where the nearest span is the
right one. What it cannot express: a discontinuous span (its pieces become separate
spans) and two different spans of one layer over the same word (the later one is
left out; one holder shared by several opinions is one span and stays). Opinions
with no polarity (two in NoReC_fine's train split) are not tagged.
"""

from __future__ import annotations

from typing import Sequence

from smie.evaluate.data import TaggedSentence
from smie.evaluate.fine import FineSentence, Opinion, Span, sentiment_graph_f1, token_spans

OUTSIDE = "O|O|O"


def words_of(sentence: FineSentence) -> list[Span]:
    """Character spans of the sentence's words (NoReC_fine texts are tokenized: words
    are separated by single spaces)."""
    return [(s, e) for s, e in token_spans(sentence.text) if e > s]


def encode(sentence: FineSentence) -> TaggedSentence:
    """The sentence's words and their joined holder|target|expression tags."""
    words = words_of(sentence)
    layers = [["O"] * len(words) for _ in range(3)]
    for opinion in sentence.opinions:
        if opinion.polarity is None:
            continue
        parts = ((opinion.holder, "holder"), (opinion.target, "target"), (opinion.expression, opinion.polarity))
        for layer, (spans, name) in zip(layers, parts):
            for start, end in spans:
                inside = [k for k, (s, e) in enumerate(words) if s >= start and e <= end]
                if inside and all(layer[k] == "O" for k in inside):
                    for j, k in enumerate(inside):
                        layer[k] = ("B-" if j == 0 else "I-") + name
    tags = tuple("|".join(t) for t in zip(*layers))
    return TaggedSentence(sentence.id, tuple(sentence.text[s:e] for s, e in words), tags)


def chunks(layer: Sequence[str]) -> list[tuple[int, int, str]]:
    """BIO spans of one layer as (first word, last word + 1, label); an I- tag that does
    not continue a span of its label starts one."""
    out: list[list] = []
    for k, tag in enumerate(layer):
        if tag == "O":
            continue
        kind, label = tag.split("-", 1)
        if kind == "I" and out and out[-1][1] == k and out[-1][2] == label:
            out[-1][1] = k + 1
        else:
            out.append([k, k + 1, label])
    return [tuple(c) for c in out]


def _distance(a: tuple, b: tuple) -> int:
    return max(0, b[0] - a[1] + 1, a[0] - b[1] + 1)


def decode(sentence: FineSentence, tags: Sequence[str | None]) -> FineSentence:
    """The opinions that the tags of the sentence's words describe (None: an untagged word)."""
    words = words_of(sentence)
    layers = list(zip(*((t or OUTSIDE).split("|") for t in tags))) if tags else [(), (), ()]
    holders, targets, expressions = (chunks(layer) for layer in layers)

    def chars(chunk) -> tuple[Span, ...]:
        return ((words[chunk[0]][0], words[chunk[1] - 1][1]),) if chunk else ()

    def nearest(expression, candidates):
        return min(candidates, key=lambda c: _distance(expression, c), default=None)

    opinions = tuple(Opinion(holder=chars(nearest(e, holders)), target=chars(nearest(e, targets)),
                             expression=chars(e), polarity=e[2]) for e in expressions)
    return FineSentence(sentence.id, sentence.text, opinions)


def graph_scorer(gold: Sequence[FineSentence]):
    """A tagger's scorer (smie.evaluate.metrics.Scorer): the Sentiment Graph F1 of the
    opinions decoded from its tags, against ``gold`` (the sentences it may be asked about)."""
    by_id = {s.id: s for s in gold}

    def score(sentences: Sequence[TaggedSentence], predicted: list[list]) -> float:
        truth = [by_id[s.id] for s in sentences]
        return sentiment_graph_f1(truth, [decode(g, tags) for g, tags in zip(truth, predicted)])["f1"]

    return score
