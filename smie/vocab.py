"""Vocabularies: WordPiece for BERT, word lists for ELMo, and a report on both.

Inputs are the udpipe stage's gzip text corpora: one sentence per line, a blank
line between documents. Everything streams: memory grows with the number of word
types, never with the corpus.

**WordPiece** (:func:`build_wordpiece`) is trained with the ``tokenizers`` library
on the ``sentences`` corpus (original spacing): BERT normaliser (lowercasing and
accent stripping as configured), BERT pre-tokeniser (whitespace and punctuation),
``##`` continuation prefix. Id layout of ``vocab.txt`` (``size`` lines at most,
specials and unused slots included; fewer if the corpus runs out of merges)::

    0 [PAD]  1 [UNK]  2 [CLS]  3 [SEP]  4 [MASK]
    5 .. 4+U            [unused0] .. [unused<U-1>]           (U = unused)
    next A              the alphabet, by code point          (A <= alphabet)
    next A              the same characters with ##
    then                learned subwords, in merge order

The five specials are added tokens of ``tokenizer.json`` (matched in input text,
skipped on decoding); the ``[unusedN]`` slots are plain vocabulary entries, as in
Google's BERT: the pre-tokeniser splits ``[``, so no text ever reaches them, and a
later fine-tuning can rename a slot in ``vocab.txt`` without resizing the model.
``tokenizer.json`` is rebuilt from the trained vocabulary (not the trainer's
tokenizer), so its ids are ``vocab.txt``'s line numbers by construction.

Held-out text: a line whose blake2b hash falls below ``heldout`` x 2**64 is left
out of training and used for the report (fertility, UNK rate). The split depends
only on the line's text, so it is the same for every vocabulary and every run, and
all copies of a repeated sentence fall on the same side.

transformers 5's ``BertTokenizer`` (alias ``BertTokenizerFast``) rebuilds its
normaliser from ``tokenizer_config.json`` (``do_lower_case``, ``strip_accents``)
and takes only the vocabulary and post-processor from ``tokenizer.json``; both
files are therefore written from the same settings.

**ELMo** word vocabularies follow bilm-tf: ``<S>``, ``</S>``, ``<UNK>``, then the
``size`` most frequent tokens (ties by the token, for determinism), one per line.
Tokens are ``line.split()``, exactly as bilm-tf's data loader splits its training
files. Counting is per shard (:func:`count_words`, written sorted by token), and
:func:`elmo_vocab` merges the shard files as sorted streams, holding only the
top ``size`` tokens. ``stats.json`` gives the corpus token count for bilm-tf's
``n_train_tokens``: tokens of the training text *without* ``<S>``/``</S>``, which
the loader adds itself (bilm-tf's README counts the words of the training files;
the option only sets the number of batches per epoch). ``sentences`` is written
beside it for anyone who wants the count with the boundary tokens.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import itertools
import json
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from smie.documents import InputError, open_gzip_writer
from smie.settings import from_config

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD, UNK, CLS, SEP, MASK = SPECIAL_TOKENS
ELMO_SPECIALS = ["<S>", "</S>", "<UNK>"]
MODEL_MAX_LENGTH = 512


# --- corpus files -------------------------------------------------------------

def read_lines(paths: Iterable[str | Path]) -> Iterator[str]:
    """Every line of the gzip text files, in order, without its newline (blank
    lines, the document separators, included)."""
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                yield line.rstrip("\n")


def read_sentences(paths: Iterable[str | Path]) -> Iterator[str]:
    return (line for line in read_lines(paths) if line.strip())


def is_heldout(line: str, fraction: float) -> bool:
    """Whether a line belongs to the held-out text: a stable hash of its text,
    independent of Python's hash seed, the file or the line's position."""
    digest = hashlib.blake2b(line.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") < fraction * 2**64


def split_heldout(lines: Iterable[str], fraction: float, heldout: Callable[[str], None]) -> Iterator[str]:
    """The training lines; each held-out line is handed to ``heldout`` instead."""
    for line in lines:
        if fraction > 0 and is_heldout(line, fraction):
            heldout(line)
        else:
            yield line


# --- WordPiece ----------------------------------------------------------------

@dataclass
class WordPieceSettings:
    size: int = 30000                 # lines of vocab.txt, specials and unused slots included
    lowercase: bool = False
    strip_accents: bool | None = None  # None: follow lowercase, as BERT does (note: strips å -> a)
    unused: int = 100                 # [unusedN] slots after the specials
    alphabet: int = 1000              # most frequent characters kept as the initial alphabet

    @classmethod
    def from_dict(cls, block: dict | None) -> "WordPieceSettings":
        return from_config(cls, block, "vocab.wordpiece")

    @property
    def reserved(self) -> list[str]:
        return SPECIAL_TOKENS + [f"[unused{i}]" for i in range(self.unused)]


def _bert_pipeline(tok, settings: WordPieceSettings):
    from tokenizers import decoders, normalizers, pre_tokenizers

    tok.normalizer = normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True,
        strip_accents=settings.strip_accents, lowercase=settings.lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    return tok


def build_tokenizer(vocab: dict[str, int], settings: WordPieceSettings):
    """The BERT tokenizer around a WordPiece vocabulary: normaliser, pre-tokeniser,
    [CLS] A [SEP] (B [SEP]) template, the five specials as added tokens."""
    from tokenizers import Tokenizer, models, processors

    tok = _bert_pipeline(Tokenizer(models.WordPiece(vocab, unk_token=UNK, continuing_subword_prefix="##")), settings)
    tok.post_processor = processors.TemplateProcessing(
        single=f"{CLS}:0 $A:0 {SEP}:0",
        pair=f"{CLS}:0 $A:0 {SEP}:0 $B:1 {SEP}:1",
        special_tokens=[(CLS, vocab[CLS]), (SEP, vocab[SEP])])
    tok.add_special_tokens(SPECIAL_TOKENS)
    return tok


def alphabet(lines: Iterable[str], settings: WordPieceSettings) -> list[str]:
    """The ``settings.alphabet`` most frequent characters of the normalised text
    (ties by code point), sorted by code point. Whitespace never reaches a word.

    Characters are counted raw (a bincount over UTF-32 code points, fast) and
    then normalised one by one: the BERT normaliser maps each character on its
    own (lowercase, accent stripping, control characters removed)."""
    import numpy as np

    normalize = _bert_pipeline(_empty_tokenizer(), settings).normalizer.normalize_str
    raw = np.zeros(0x110000, dtype=np.int64)
    for batch in _batches(lines, 20000):
        raw += np.bincount(np.frombuffer("".join(batch).encode("utf-32-le"), dtype=np.uint32), minlength=0x110000)
    counts: Counter = Counter()
    for code in np.flatnonzero(raw):
        for c in normalize(chr(code)):
            if not c.isspace():
                counts[c] += int(raw[code])
    return sorted(sorted(counts, key=lambda c: (-counts[c], c))[: settings.alphabet])


def _empty_tokenizer():
    from tokenizers import Tokenizer, models

    return Tokenizer(models.WordPiece(unk_token=UNK))


def train_wordpiece(corpus: Callable[[], Iterable[str]], settings: WordPieceSettings):
    """Train a WordPiece vocabulary and return the tokenizer built around it.
    ``corpus()`` yields the training lines; it is called twice (the alphabet,
    then the training), so nothing of the corpus is held in memory.

    Determinism: tokenizers 0.23's trainer numbers the ``##c`` continuation
    characters in hash-map order as it meets them, and those ids break ties
    between equally frequent merges, so two runs differ (huggingface/tokenizers
    issue 1794). Here the alphabet is counted first and handed to the trainer,
    characters and ``##`` characters, as leading tokens with fixed ids: nothing
    is numbered in hash order, and the vocabulary is the same on every run."""
    from tokenizers import trainers

    chars = alphabet(corpus(), settings)
    leading = settings.reserved + chars + ["##" + c for c in chars]
    if settings.size <= len(leading):
        raise ValueError(f"vocab.wordpiece size {settings.size} leaves no room for subwords after "
                         f"{len(settings.reserved)} special and unused tokens and {2 * len(chars)} "
                         "alphabet tokens (with and without ##): raise size or lower alphabet")
    trainer = trainers.WordPieceTrainer(
        vocab_size=settings.size, special_tokens=leading,
        initial_alphabet=chars, limit_alphabet=len(chars), continuing_subword_prefix="##",
        show_progress=False)  # its bar writes to fd 2, past the job's log
    # The trainer makes every leading token an added token; the tokenizer is
    # rebuilt from the vocabulary so that only the five specials are.
    scratch = _bert_pipeline(_empty_tokenizer(), settings)
    scratch.train_from_iterator(corpus(), trainer)
    return build_tokenizer(scratch.get_vocab(with_added_tokens=False), settings)


def vocab_lines(tokenizer) -> list[str]:
    """The vocabulary in id order; ids must run 0..n-1 without gaps."""
    vocab = tokenizer.get_vocab(with_added_tokens=True)
    tokens = sorted(vocab, key=vocab.get)
    if [vocab[t] for t in tokens] != list(range(len(tokens))):
        raise ValueError("vocabulary ids are not contiguous")
    return tokens


def save_wordpiece(tokenizer, settings: WordPieceSettings, out_dir: str | Path) -> None:
    """vocab.txt, tokenizer.json, tokenizer_config.json and special_tokens_map.json,
    loadable by ``transformers.AutoTokenizer.from_pretrained(out_dir)``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "vocab.txt").write_text("".join(t + "\n" for t in vocab_lines(tokenizer)), encoding="utf-8")
    tokenizer.save(str(out / "tokenizer.json"))
    specials = {"unk_token": UNK, "sep_token": SEP, "pad_token": PAD, "cls_token": CLS, "mask_token": MASK}
    config = {
        "tokenizer_class": "BertTokenizerFast",
        "do_lower_case": settings.lowercase,
        "strip_accents": settings.strip_accents,
        "tokenize_chinese_chars": True,
        "model_max_length": MODEL_MAX_LENGTH,
        **specials,
    }
    for name, data in (("tokenizer_config.json", config), ("special_tokens_map.json", specials)):
        (out / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def heldout_report(tokenizer, lines: Iterable[str], batch_size: int = 1000) -> dict:
    """Fertility and UNK rate of the tokenizer on the lines. A word is what the
    BERT pre-tokeniser yields (punctuation marks are words); WordPiece maps a word
    it cannot spell to one [UNK], so UNK tokens and UNK words are the same count."""
    unk_id = tokenizer.token_to_id(UNK)
    words = subwords = split = unk = 0
    for batch in _batches(lines, batch_size):
        for enc in tokenizer.encode_batch(batch, add_special_tokens=False):
            per_word = Counter(enc.word_ids)
            words += len(per_word)
            subwords += len(enc.ids)
            split += sum(1 for n in per_word.values() if n > 1)
            unk += enc.ids.count(unk_id)
    return {
        "words": words,
        "subwords": subwords,
        "fertility": round(subwords / words, 4) if words else None,
        "words_split": round(split / words, 4) if words else None,
        "unk": unk,
        "unk_rate": round(unk / words, 6) if words else None,
        "vocab_size": tokenizer.get_vocab_size(with_added_tokens=True),
    }


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


def build_wordpiece(paths: Iterable[str | Path], out_dir: str | Path, settings: WordPieceSettings,
                    heldout: float = 0.01) -> dict:
    """Train on the corpus files minus the held-out lines, save the tokenizer to
    ``out_dir`` and return the held-out report with the line counts.

    The files are read twice (alphabet, training). On the first read the held-out
    lines go to an anonymous temporary file beside the output, which the report
    reads back: none of the corpus is held in memory."""
    paths = [str(p) for p in paths]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = Counter(training_lines=0, heldout_lines=0)
    reads = 0

    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=out) as held:
        def keep_heldout(line: str) -> None:
            counts["heldout_lines"] += 1
            held.write(line + "\n")

        def corpus() -> Iterator[str]:
            nonlocal reads
            reads += 1
            first = reads == 1
            for line in split_heldout(read_sentences(paths), heldout, keep_heldout if first else _ignore):
                counts["training_lines"] += first
                yield line

        tokenizer = train_wordpiece(corpus, settings)
        if not counts["training_lines"]:
            raise InputError(f"no training sentences in {len(paths)} file(s): {', '.join(paths[:3])}")
        save_wordpiece(tokenizer, settings, out)
        held.seek(0)
        report = heldout_report(tokenizer, (line.rstrip("\n") for line in held))
    return {"settings": asdict(settings), "heldout": heldout, **counts, **report}


def _ignore(line: str) -> None:
    pass


# --- ELMo ---------------------------------------------------------------------

def count_words(path: str | Path) -> tuple[Counter, dict]:
    """Token counts of one corpus file, and its documents, sentences, tokens, types."""
    counts: Counter = Counter()
    stats = Counter(documents=0, sentences=0, tokens=0)
    in_document = False
    for line in read_lines([path]):
        tokens = line.split()  # as bilm-tf splits its training lines
        if not tokens:
            in_document = False
            continue
        if not in_document:
            stats["documents"] += 1
            in_document = True
        stats["sentences"] += 1
        stats["tokens"] += len(tokens)
        counts.update(tokens)
    return counts, {**stats, "types": len(counts)}


def write_counts(counts: Counter, path: str | Path) -> None:
    """``token\\tcount`` lines sorted by token (the order the merge needs)."""
    with open_gzip_writer(path) as f:
        for word in sorted(counts):
            f.write(f"{word}\t{counts[word]}\n")


def read_counts(path: str | Path) -> Iterator[tuple[str, int]]:
    for line in read_lines([path]):
        word, count = line.rsplit("\t", 1)
        yield word, int(count)


def merge_counts(paths: Iterable[str | Path]) -> Iterator[tuple[str, int]]:
    """Counts of several token-sorted files summed, in token order, one token
    at a time (a k-way merge: memory is one line per file)."""
    merged = heapq.merge(*(read_counts(p) for p in paths), key=lambda wc: wc[0])
    for word, group in itertools.groupby(merged, key=lambda wc: wc[0]):
        yield word, sum(c for _, c in group)


def elmo_vocab(count_paths: Iterable[str | Path], shard_stats: Iterable[dict], size: int) -> tuple[list[str], dict]:
    """The vocabulary lines (specials, then the ``size`` most frequent tokens, ties
    by token) and its stats, from per-shard count files and their stats."""
    totals = Counter(types=0, tokens=0)

    def tallied(pairs):
        for word, count in pairs:
            totals["types"] += 1
            totals["tokens"] += count
            if word not in ELMO_SPECIALS:  # a literal "<S>" in the text is already line 1
                yield word, count

    top = heapq.nsmallest(size, tallied(merge_counts(count_paths)), key=lambda wc: (-wc[1], wc[0]))
    shards = Counter()
    for s in shard_stats:
        shards.update({k: s[k] for k in ("documents", "sentences", "tokens")})
    if shards["tokens"] != totals["tokens"]:
        raise ValueError(f"count files hold {totals['tokens']} tokens, their stats say {shards['tokens']}")
    covered = sum(c for _, c in top)
    stats = {
        "size": size,
        "words": len(top),
        "lines": len(top) + len(ELMO_SPECIALS),
        "documents": shards["documents"],
        "sentences": shards["sentences"],
        "tokens": totals["tokens"],
        "n_train_tokens": totals["tokens"],  # bilm-tf's option: tokens without <S>/</S>
        "types": totals["types"],
        "coverage": round(covered / totals["tokens"], 6) if totals["tokens"] else None,
    }
    return ELMO_SPECIALS + [w for w, _ in top], stats


# --- report table -------------------------------------------------------------

VOCAB_COLUMNS = ["vocab", "kind", "corpus", "size", "lowercase", "measured_on", "words",
                 "fertility", "words_split", "unk_rate"]
# UNK rates need three decimals of a percent; fertility is not a share.
VOCAB_FORMATS = {"fertility": ".3f", "words_split": ".1%", "unk_rate": ".3%"}


def vocab_rows(wordpiece: list[dict], elmo: list[dict]) -> list[dict]:
    """One row per vocabulary. WordPiece: held-out words, subwords per word, share
    of words split, UNK rate. ELMo: training tokens and the share outside the
    vocabulary (read as <UNK>); fertility and splitting do not apply."""
    rows = [{
        "vocab": r["name"], "kind": "wordpiece", "corpus": "sentences", "size": r["vocab_size"],
        "lowercase": "yes" if r["settings"]["lowercase"] else "no", "measured_on": "held-out",
        "words": r["words"], "fertility": r["fertility"], "words_split": r["words_split"],
        "unk_rate": r["unk_rate"],
    } for r in sorted(wordpiece, key=lambda r: r["name"])]
    rows += [{
        "vocab": s["name"], "kind": "elmo", "corpus": s["corpus"], "size": s["words"],
        "lowercase": "no", "measured_on": "training", "words": s["tokens"], "fertility": None,
        "words_split": None, "unk_rate": None if s["coverage"] is None else round(1 - s["coverage"], 6),
    } for s in sorted(elmo, key=lambda s: s["name"])]
    return rows


def vocab_table(wordpiece: list[dict], elmo: list[dict], provenance: str):
    """`vocab_rows` as a `smie.tables.Table`."""
    import pandas as pd

    from smie.tables import Table

    return Table(pd.DataFrame(vocab_rows(wordpiece, elmo), columns=VOCAB_COLUMNS),
                 "Vocabularies: size; for WordPiece, subwords per word (fertility), the share of words "
                 "split and the UNK rate on held-out sentences; for ELMo, the share of training tokens "
                 "outside the vocabulary.", "tab:vocab", provenance, formats=VOCAB_FORMATS)
