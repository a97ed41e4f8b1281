"""UDPipe: documents -> sentences, tokens and lemmas; and training UDPipe models.

Each document is segmented, tokenized and tagged with its language's model
(ufal.udpipe, the same calls its Pipeline makes), and written as three aligned
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

from smie.documents import Document, InputError, open_jsonl_writer, read_documents, word_count

_WHITESPACE = re.compile(r"\s+")


@dataclass
class Sentence:
    text: str
    tokens: list[str]
    lemmas: list[str]
    conllu: str = ""


def load_model(path: str | Path) -> udpipe.Model:
    model = udpipe.Model.load(str(path))
    if model is None:
        raise InputError(f"{path}: not a UDPipe model (ufal.udpipe could not load it)")
    return model


def _field(text: str) -> str:
    """A token or lemma as one space-free field of a line."""
    return _WHITESPACE.sub("_", text) or "_"


def _surface(sentence: udpipe.Sentence) -> str:
    """The sentence as running text: surface tokens (a multiword token once, not
    its words), a space after each one UDPipe saw followed by whitespace."""
    words, mwts = sentence.words, {m.idFirst: m for m in sentence.multiwordTokens}
    parts, i = [], 1
    while i < len(words):
        token = mwts.get(i, words[i])
        parts.append(token.form)
        if token.getSpaceAfter():
            parts.append(" ")
        i = token.idLast + 1 if i in mwts else i + 1
    return _WHITESPACE.sub(" ", "".join(parts)).strip()


class Annotator:
    """Sentence splitting, tokenization, tagging and lemmatization with one model."""

    def __init__(self, model_path: str | Path, conllu: bool = False):
        self.path = model_path
        self.model = load_model(model_path)
        self.tokenizer = self.model.newTokenizer(self.model.DEFAULT)
        if self.tokenizer is None:
            raise InputError(f"{model_path}: the UDPipe model has no tokenizer")
        self.conllu = udpipe.OutputFormat.newConlluOutputFormat() if conllu else None
        self.error = udpipe.ProcessingError()

    def sentences(self, text: str, doc_id: str = "") -> Iterator[Sentence]:
        self.tokenizer.setText("\n\n".join(p for p in text.split("\n") if p.strip()))
        sentence, n = udpipe.Sentence(), 0
        while self.tokenizer.nextSentence(sentence, self.error):
            self.model.tag(sentence, self.model.DEFAULT, self.error)
            n += 1
            if doc_id:  # CoNLL-U comments in the usual order, ids from the document
                text, new_par = sentence.getText(), sentence.getNewPar() or n == 1
                sentence.comments.clear()
                sentence.setNewDoc(n == 1, doc_id)
                sentence.setNewPar(new_par)
                sentence.setSentId(f"{doc_id}-{n}")
                sentence.setText(text)
            words = list(sentence.words)[1:]  # words[0] is the technical root
            yield Sentence(
                text=_surface(sentence),
                tokens=[_field(w.form) for w in words],
                lemmas=[_field(w.lemma if w.lemma not in ("", "_") else w.form) for w in words],
                conllu=self.conllu.writeSentence(sentence) if self.conllu else "",
            )
            sentence = udpipe.Sentence()
        if self.error.occurred():
            raise RuntimeError(f"UDPipe failed with {self.path}: {self.error.message}")


@dataclass
class ShardCounts:
    """What the udpipe stage made of one shard, per language."""

    documents: Counter = field(default_factory=Counter)
    sentences: Counter = field(default_factory=Counter)
    tokens: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)  # whitespace words in

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


def count(counts: ShardCounts, lang: str, words: int, sentences: list[Sentence]) -> None:
    counts.documents[lang] += 1
    counts.sentences[lang] += len(sentences)
    counts.tokens[lang] += sum(len(s.tokens) for s in sentences)
    counts.words[lang] += words


# One process's annotators (a pool worker's, or the job's own when single-threaded).
_annotators: dict[str, Annotator] = {}


def _load_annotators(models: dict[str, str], conllu: bool) -> None:
    _annotators.clear()
    _annotators.update({lang: Annotator(path, conllu) for lang, path in models.items()})


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
        writers = {kind: stack.enter_context(open_jsonl_writer(path)) for kind, path in outputs.items()}
        if threads > 1:
            pool = stack.enter_context(
                multiprocessing.get_context("spawn").Pool(threads, _load_annotators, (models, conllu)))
            results = pool.imap(_annotate, docs, chunksize=8)
        else:
            _load_annotators(models, conllu)
            results = map(_annotate, docs)
        for doc, sentences in results:
            count(counts, doc.lang, word_count(doc.text), sentences)
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
        rows.append(cols[:8] + ["_"] * (8 - len(cols[:8])))
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
    return model if isinstance(model, bytes) else model.encode("latin-1")
