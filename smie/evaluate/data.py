"""Readers of the evaluation data sets, with errors that name the file and the place.

- PoS tagging: CoNLL-U (Universal Dependencies); words and their UPOS tags per
  sentence. Multiword-token ranges (``1-2``) and empty nodes (``1.1``) are not
  words of the tagging task and are skipped, as the UD evaluation script does.
- Sentence-level sentiment: NoReC sentence JSON, an array of
  ``{"sent_id", "text", "label"}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from smie.documents import InputError

UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN", "PUNCT",
        "SCONJ", "SYM", "VERB", "X")


@dataclass(frozen=True)
class TaggedSentence:
    id: str
    words: tuple[str, ...]
    tags: tuple[str, ...]


def read_conllu_upos(path: str | Path) -> list[TaggedSentence]:
    sentences, words, tags, sent_id = [], [], [], None

    def flush(line_no: int) -> None:
        nonlocal words, tags, sent_id
        if words:
            sentences.append(TaggedSentence(sent_id or f"{Path(path).name}:{line_no}", tuple(words), tuple(tags)))
        words, tags, sent_id = [], [], None

    n = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                flush(n)
            elif line.startswith("#"):
                if line.startswith("# sent_id ="):
                    sent_id = line.split("=", 1)[1].strip()
            else:
                cols = line.split("\t")
                if len(cols) != 10:
                    raise InputError(f"{path}:{n}: a CoNLL-U word line has 10 tab-separated columns, found {len(cols)}")
                if "-" in cols[0] or "." in cols[0]:
                    continue
                if cols[3] not in UPOS:
                    raise InputError(f"{path}:{n}: {cols[3]!r} is not a UPOS tag")
                words.append(cols[1])
                tags.append(cols[3])
        flush(n + 1)
    if not sentences:
        raise InputError(f"{path}: no sentences")
    return sentences


@dataclass(frozen=True)
class LabelledSentence:
    id: str
    text: str
    label: str


def read_json_array(path: str | Path) -> list:
    """The items of a file holding one JSON array (the NoReC formats)."""
    try:
        items = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not JSON ({error})") from None
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON array of sentences")
    return items


def read_sentiment(path: str | Path, labels: tuple[str, ...]) -> list[LabelledSentence]:
    """The sentences of a NoReC sentence file; every label must be one of ``labels``."""
    items = read_json_array(path)
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not {"sent_id", "text", "label"} <= item.keys():
            raise InputError(f"{path}: item {i} lacks sent_id, text or label")
        if item["label"] not in labels:
            raise InputError(f"{path}: item {i} ({item['sent_id']}) has label {item['label']!r}, not one of {labels}")
        out.append(LabelledSentence(str(item["sent_id"]), item["text"], item["label"]))
    if not out:
        raise InputError(f"{path}: no sentences")
    return out


def read_task_file(path: str | Path, task: dict) -> list:
    """The sentences of one file of an evaluation task (config: ``evaluate.tasks.<name>``),
    in its kind's format: CoNLL-U for pos, NoReC sentence JSON for sentiment, NoReC_fine
    JSON for fine. A malformed file raises InputError naming it."""
    if task["kind"] == "pos":
        return read_conllu_upos(path)
    if task["kind"] == "sentiment":
        return read_sentiment(path, tuple(task["labels"]))
    from smie.evaluate.fine import read_norec_fine

    return read_norec_fine(path)
