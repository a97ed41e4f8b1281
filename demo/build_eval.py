"""Write the demo's evaluation sets, in the real formats, under demo/eval/.

- pos/nb-{train,dev,test}.conllu: CoNLL-U with UPOS, sentences from the same
  grammar as the demo treebank (demo/build_treebank.py) but other seeds, so no
  sentence of the UDPipe training treebank is evaluated on;
- sentiment/{binary,3class}/{train,dev,test}.json: NoReC sentence format
  (``sent_id``, ``text``, ``label``), short Bokmål review sentences whose
  polarity comes from an evaluative word, sometimes negated ("ikke bra" is
  Negative), and, in 3class, neutral factual sentences;
- fine/{train,dev,test}.json: NoReC_fine format (``sent_id``, tokenized ``text``,
  ``opinions`` with holder, target and polar expression as texts and character
  offsets, polarity and intensity): the same kind of review sentences, with an
  explicit holder or an implicit one, one or two opinions, or none.

No real data: the sets only show the evaluation stage working. Byte-deterministic:

    python demo/build_eval.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from build_treebank import build

HERE = Path(__file__).resolve().parent
SPLITS = {"train": 300, "dev": 100, "test": 100}

THINGS = ["Filmen", "Boka", "Maten", "Konserten", "Hotellet", "Turen", "Serien", "Albumet", "Forestillingen"]
GOOD = ["bra", "fantastisk", "herlig", "flott", "morsom", "spennende", "vakker", "imponerende"]
BAD = ["dårlig", "kjedelig", "elendig", "svak", "skuffende", "treg", "slitsom", "overfladisk"]
DEGREE = ["", "veldig ", "ganske ", "helt "]
NEUTRAL = ["{} varer i to timer.", "{} kom ut i fjor.", "{} ble laget i Bergen.", "{} handler om en familie.",
           "{} koster 200 kroner.", "{} har tre deler."]


def review(rng: random.Random, label: str) -> str:
    thing = rng.choice(THINGS)
    if label == "Neutral":
        return rng.choice(NEUTRAL).format(thing)
    negated = rng.random() < 0.25  # "ikke bra" is negative, "ikke dårlig" positive
    word = rng.choice(GOOD if (label == "Positive") != negated else BAD)
    return f"{thing} var {'ikke ' if negated else rng.choice(DEGREE)}{word}."


def sentiment(labels: list[str], n: int, seed: str) -> list[dict]:
    rng = random.Random(seed)
    return [{"sent_id": f"{seed}-{i:04d}", "text": review(rng, label), "label": label}
            for i, label in enumerate(rng.choice(labels) for _ in range(n))]


HOLDERS = ["Jeg", "Anmelderen", "Vi", "Publikum"]


class Sentence:
    """Tokens joined by single spaces, remembering where each span of them lies."""

    def __init__(self):
        self.text = ""

    def add(self, words: str) -> list:
        """Append words; their [[text], ["start:end"]], as NoReC_fine writes a span."""
        start = len(self.text) + (1 if self.text else 0)
        self.text = f"{self.text} {words}" if self.text else words
        return [[words], [f"{start}:{len(self.text)}"]]


def opinion(source, target, expression, polarity) -> dict:
    return {"Source": source or [[], []], "Target": target, "Polar_expression": expression,
            "Polarity": polarity, "Intensity": "Standard"}


def evaluation(rng: random.Random, s: Sentence) -> tuple[list, str]:
    """An evaluative phrase ("veldig bra", "ikke dårlig") and its polarity."""
    positive = rng.random() < 0.5
    negated = rng.random() < 0.25
    word = rng.choice(GOOD if positive != negated else BAD)
    return s.add(f"{'ikke ' if negated else rng.choice(DEGREE)}{word}"), "Positive" if positive else "Negative"


def fine_sentence(rng: random.Random) -> tuple[str, list[dict]]:
    s, shape = Sentence(), rng.random()
    if shape < 0.2:  # factual: no opinion
        return rng.choice(NEUTRAL).format(rng.choice(THINGS)).replace(".", " ."), []
    holder = s.add(rng.choice(HOLDERS)) if shape < 0.5 else None
    if holder:
        s.add("synes")
        target = s.add(rng.choice(THINGS).lower())
    else:
        target = s.add(rng.choice(THINGS))
    s.add("var")
    expression, polarity = evaluation(rng, s)
    opinions = [opinion(holder, target, expression, polarity)]
    if rng.random() < 0.3:  # a second opinion on another thing
        s.add(", men")
        second = s.add(rng.choice(THINGS).lower())
        s.add("var")
        expression, polarity = evaluation(rng, s)
        opinions.append(opinion(holder, second, expression, polarity))
    s.add(".")
    return s.text, opinions


def fine(n: int, seed: str) -> list[dict]:
    rng = random.Random(seed)
    return [{"sent_id": f"{seed}-{i:04d}", "text": text, "opinions": opinions}
            for i, (text, opinions) in enumerate(fine_sentence(rng) for _ in range(n))]


def main() -> None:
    for i, (split, n) in enumerate(SPLITS.items()):
        path = HERE / "eval" / "pos" / f"nb-{split}.conllu"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = build("nb", n, seed=i + 1).replace("# sent_id = demo-nb-", f"# sent_id = eval-nb-{split}-")
        path.write_text(text, encoding="utf-8")
        for kind, labels in (("binary", ["Negative", "Positive"]), ("3class", ["Negative", "Neutral", "Positive"])):
            path = HERE / "eval" / "sentiment" / kind / f"{split}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(sentiment(labels, n, f"{kind}-{split}"), ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        path = HERE / "eval" / "fine" / f"{split}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(fine(n, f"fine-{split}"), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'eval'}")


if __name__ == "__main__":
    main()
