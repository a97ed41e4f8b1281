"""UDPipe: documents -> sentences, tokens and lemmas; and training UDPipe models.

Each document is segmented, tokenized and tagged with its language's model
(ufal.udpipe's Pipeline), and written as three aligned
corpora, one sentence per line and a blank line between documents:

- sentences: the sentence as running text, a space wherever UDPipe saw one
  (SpaceAfter), any run of whitespace written as one space (for BERT);
- tokens: UDPipe's words separated by spaces (for ELMo);
- lemmas: the same words replaced by their lemmas (for the lemmatized ELMo).

Paragraphs of a document (its lines) are passed to UDPipe as paragraphs (a blank
line between them), so no sentence spans two paragraphs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm
from ufal import udpipe

from smie.documents import Document, InputError, open_gzip_writer, read_documents, word_count

_WHITESPACE = re.compile(r"\s+")


@dataclass
class Sentence:
    text: str
    tokens: list[str]
    lemmas: list[str]
    conllu: str


def load_model(path: str | Path) -> udpipe.Model:
    model = udpipe.Model.load(str(path))
    if model is None:
        raise InputError(f"{path}: not a UDPipe model (ufal.udpipe could not load it)")
    return model


def _fields(words: list[str]) -> list[str]:
    """Words as space-free fields of a line (a form may hold e.g. a no-break space)."""
    if len(" ".join(words).split()) == len(words):  # the common case, checked in C
        return words
    return [_WHITESPACE.sub("_", w) or "_" for w in words]


class Annotator:
    """Sentence splitting, tokenization, tagging and lemmatization with one model.

    ufal.udpipe's own Pipeline does the work and writes CoNLL-U, which is read
    back here: one call per document instead of several per word keeps the
    Python side cheap (bench/README.md, udpipe).
    """

    def __init__(self, model_path: str | Path):
        self.path = model_path
        self.model = load_model(model_path)
        self.pipeline = udpipe.Pipeline(self.model, "tokenize", udpipe.Pipeline.DEFAULT,
                                        udpipe.Pipeline.NONE, "conllu")
        self.error = udpipe.ProcessingError()

    def sentences(self, text: str, doc_id: str = "") -> Iterator[Sentence]:
        conllu = self.pipeline.process("\n\n".join(p for p in text.split("\n") if p.strip()), self.error)
        if self.error.occurred():
            raise RuntimeError(f"UDPipe failed with {self.path}: {self.error.message}")
        for block in conllu.split("\n\n"):
            if block.strip():
                yield _read_sentence(block, doc_id)


def _read_sentence(block: str, doc_id: str) -> Sentence:
    """One CoNLL-U sentence of the Pipeline: its words, lemmas and surface text."""
    lines = block.split("\n")
    tokens, lemmas, surface = [], [], []
    covered = 0  # the last word id of a multiword token already in the surface
    for i, line in enumerate(lines):
        if line.startswith("#"):
            if doc_id and line.startswith("# newdoc"):
                lines[i] = f"# newdoc id = {doc_id}"
            elif doc_id and line.startswith("# sent_id = "):
                lines[i] = f"# sent_id = {doc_id}-{line[len('# sent_id = '):]}"
            continue
        cols = line.split("\t")
        first, _, last = cols[0].partition("-")
        space = "" if "SpaceAfter=No" in cols[9] else " "
        if last:  # a multiword token: its form is the surface, its words follow
            surface.append(cols[1] + space)
            covered = int(last)
        elif "." not in first:  # a word (not an empty node)
            tokens.append(cols[1])
            lemmas.append(cols[2] if cols[2] not in ("", "_") else cols[1])
            if int(first) > covered:
                surface.append(cols[1] + space)
    return Sentence(text=_WHITESPACE.sub(" ", "".join(surface)).strip(), tokens=_fields(tokens),
                    lemmas=_fields(lemmas), conllu="\n".join(lines) + "\n\n")


@dataclass
class ShardCounts:
    """What the udpipe stage made of one shard, per language."""

    documents: Counter = field(default_factory=Counter)
    sentences: Counter = field(default_factory=Counter)
    tokens: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)  # whitespace words in

    def add(self, doc: Document, sentences: list[Sentence]) -> None:
        self.documents[doc.lang] += 1
        self.sentences[doc.lang] += len(sentences)
        self.tokens[doc.lang] += sum(len(s.tokens) for s in sentences)
        self.words[doc.lang] += word_count(doc.text)

    def to_dict(self, source: str) -> dict:
        langs = sorted(self.documents)
        return {
            "stage": "udpipe",
            "source": source,
            "languages": {
                lang: {"documents": self.documents[lang], "sentences": self.sentences[lang],
                       "tokens": self.tokens[lang], "words": self.words[lang]}
                for lang in langs
            },
        }


# One process's annotators (a pool worker's, or the job's own when single-threaded).
_annotators: dict[str, Annotator] = {}


def _load_annotators(models: dict[str, str]) -> None:
    _annotators.clear()
    _annotators.update({lang: Annotator(path) for lang, path in models.items()})


def _annotate(doc: Document) -> tuple[Document, list[Sentence]]:
    return doc, list(_annotators[doc.lang].sentences(doc.text, doc.id))


def annotate_shard(docs_path: str | Path, outputs: dict[str, str | Path], models: dict[str, str],
                   source: str, threads: int = 1) -> ShardCounts:
    """Annotate every document of a shard into the aligned corpora ``outputs``
    (sentences, tokens, lemmas, and conllu if given), in document order.

    ``threads`` > 1 annotates in that many processes (ufal.udpipe holds the GIL),
    each with its own copy of the models.
    """
    conllu = "conllu" in outputs

    def checked(docs):
        for doc in docs:
            if doc.lang not in models:
                raise InputError(f"{docs_path}: document {doc.id} is in language {doc.lang!r}, "
                                 f"which has no UDPipe model (models: {sorted(models)})")
            yield doc

    docs = tqdm(checked(read_documents(docs_path)), desc=f"udpipe {source}", unit=" docs", mininterval=10)
    counts = ShardCounts()
    with contextlib.ExitStack() as stack:
        writers = {kind: stack.enter_context(open_gzip_writer(path)) for kind, path in outputs.items()}
        if threads > 1:
            pool = stack.enter_context(
                multiprocessing.get_context("spawn").Pool(threads, _load_annotators, (models,)))
            results = pool.imap(_annotate, docs, chunksize=8)
        else:
            _load_annotators(models)
            results = map(_annotate, docs)
        for doc, sentences in results:
            counts.add(doc, sentences)
            for s in sentences:
                writers["sentences"].write(s.text + "\n")
                writers["tokens"].write(" ".join(s.tokens) + "\n")
                writers["lemmas"].write(" ".join(s.lemmas) + "\n")
                if conllu:
                    writers["conllu"].write(s.conllu)
            for kind in ("sentences", "tokens", "lemmas"):
                writers[kind].write("\n")
    return counts


# --- training -------------------------------------------------------------------

_NO_SPACE_BEFORE = set(",.:;!?%)]}»”")
_NO_SPACE_AFTER = set("([{«“")


def conllx_to_conllu(text: str, origin: str = "") -> str:
    """A CoNLL-X treebank (NDT style: no comments, no spacing) as CoNLL-U.

    UDPipe's tokenizer learns spacing from SpaceAfter=No and sentence text from
    ``# text``, which CoNLL-X lacks: spacing is guessed from punctuation (no space
    before closing, after opening marks). NDT writes punctuation lemmas as ``$,``:
    the ``$`` is dropped so lemmas agree with UD's.
    """
    out, rows = [], []

    def flush():
        if not rows:
            return
        forms = [r[1] for r in rows]
        space = [not (i + 1 < len(forms) and (forms[i + 1] in _NO_SPACE_BEFORE or forms[i] in _NO_SPACE_AFTER))
                 for i in range(len(forms))]
        out.append("# text = " + "".join(f + (" " if s else "") for f, s in zip(forms, space)).rstrip())
        for r, s in zip(rows, space):
            lemma = r[2][1:] if r[2].startswith("$") and len(r[2]) > 1 else r[2]
            misc = "_" if s else "SpaceAfter=No"
            out.append("\t".join([r[0], r[1], lemma, r[3], r[4], r[5], r[6], r[7], "_", misc]))
        out.append("")
        rows.clear()

    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            flush()
            continue
        cols = line.split("\t")
        if len(cols) < 8:
            raise InputError(f"{origin}: line {n} has {len(cols)} columns, a CoNLL-X token line needs 10")
        rows.append(cols[:8])
    flush()
    return "\n".join(out) + "\n"


def read_sentences(conllu: str, origin: str = "") -> udpipe.Sentences:
    reader = udpipe.InputFormat.newConlluInputFormat()
    reader.setText(conllu)
    sentences, sentence, error = udpipe.Sentences(), udpipe.Sentence(), udpipe.ProcessingError()
    while reader.nextSentence(sentence, error):
        sentences.append(sentence)
        sentence = udpipe.Sentence()
    if error.occurred():
        raise InputError(f"{origin}: not valid CoNLL-U: {error.message}")
    return sentences


def read_treebank(paths: Iterable[str | Path], fmt: str = "conllu") -> udpipe.Sentences:
    """Sentences of CoNLL-U (or CoNLL-X) files, in order."""
    paths = list(paths)
    sentences = udpipe.Sentences()
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        if fmt == "conllx":
            text = conllx_to_conllu(text, origin=str(path))
        for s in read_sentences(text, origin=str(path)):
            sentences.append(s)
    if len(sentences) == 0:
        raise InputError(f"no sentences in treebank files {list(map(str, paths))}")
    return sentences


def train_model(train: udpipe.Sentences, heldout: udpipe.Sentences | None,
                tokenizer: str, tagger: str, parser: str) -> bytes:
    """A UDPipe model (its bytes); options as UDPipe's --tokenizer/--tagger/--parser."""
    error = udpipe.ProcessingError()
    model = udpipe.Trainer.train("morphodita_parsito", train, heldout or udpipe.Sentences(),
                                 tokenizer, tagger, parser, error)
    if error.occurred() or not model:
        raise RuntimeError(f"UDPipe training failed: {error.message}")
    return model
