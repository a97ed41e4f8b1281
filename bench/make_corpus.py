"""A generated OSCAR 23.01 corpus of a requested size, built from real Norwegian sentences.

For the corpus benchmarks (``bench/corpus_stages.py``, the datatrove comparison):

    from make_corpus import write_corpus     # with bench/ on sys.path
    info = write_corpus(out_dir, megabytes=200, seed=0, parts=4)

writes ``no_meta_part_<i>.jsonl.zst`` (Bokmål) and ``nn_meta_part_<i>.jsonl.zst``
(Nynorsk), ``parts`` files of each, i = 1..parts, as OSCAR 23.01 names and ships
them: zstd JSON Lines, one record per document, ``{"content", "warc_headers",
"metadata"}``, ``metadata.identification.label`` ``no`` or ``nn``,
``quality_warnings`` null. Documents go round-robin over their language's parts.
``megabytes`` counts the UTF-8 bytes of ``content`` (10**6 bytes a megabyte);
writing stops at the first document that reaches it.

Documents: 5-30 sentences of one language (chosen in the proportion of the
sentence pool: about 62% nb, 38% nn), in paragraphs of 1-5 sentences, one
paragraph per line. The sentences are ``real_text.norwegian_sentences()`` (42k
distinct real sentences; needs the shared data directory). Planted for the
filters, shares of all documents: 2% exact duplicates and 2% near duplicates (one
sentence replaced) of a recent document, possibly in another part, and 1%
too-short documents (1-2 sentences of at most 8 words). Everything follows from
``seed``: the same arguments give the same bytes.

The returned dict holds ``documents``, ``bytes`` (content), ``words``,
``compressed_bytes``, ``planted`` (counts by kind), ``languages`` (documents per
label) and ``files`` (``{"path", "label", "documents", "bytes"}`` per part).

    .venv/bin/python bench/make_corpus.py OUT_DIR --megabytes 20 [--seed 0] [--parts 4]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import sys
import uuid
from collections import Counter, deque
from pathlib import Path

import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_text  # noqa: E402

LABELS = {"nb": "no", "nn": "nn"}  # OSCAR's label (and file prefix) per language
WARC_LANG = {"nb": "nor", "nn": "nno"}
SHARES = {"exact-duplicate": 0.02, "near-duplicate": 0.02, "too-short": 0.01}
RECENT = 5000  # duplicates copy one of the last RECENT documents: memory stays flat
SITES = ["nrk", "vg", "aftenposten", "dagbladet", "bt", "adressa", "nettavisen", "framtida",
         "nynorsk24", "dalebladet", "sunnhordland", "bok365", "forskning", "regjeringen"]


def draw_paragraphs(rng: random.Random, pool: list[str]) -> list[list[str]]:
    """5-30 distinct sentences of ``pool`` in paragraphs of 1-5."""
    sentences = rng.sample(pool, rng.randint(5, 30))
    out = []
    while sentences:
        k = rng.randint(1, 5)
        out.append(sentences[:k])
        sentences = sentences[k:]
    return out


def _near_copy(rng: random.Random, paragraphs: list[list[str]], pool: list[str]) -> list[list[str]]:
    copy = [list(p) for p in paragraphs]
    p = rng.randrange(len(copy))
    copy[p][rng.randrange(len(copy[p]))] = rng.choice(pool)
    return copy


def _record(rng: random.Random, content: str, lang: str, serial: int) -> dict:
    data = content.encode("utf-8")
    label = LABELS[lang]
    lines = content.split("\n")
    return {
        "content": content,
        "warc_headers": {
            "warc-record-id": f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>",
            "warc-date": f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                         f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
            "warc-target-uri": f"https://www.{rng.choice(SITES)}.no/artikkel/{serial}",
            "warc-identified-content-language": WARC_LANG[lang],
            "content-length": str(len(data)),
            "warc-block-digest": "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode(),
            "warc-refers-to": f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>",
            "warc-type": "conversion",
            "content-type": "text/plain",
        },
        "metadata": {
            "identification": {"label": label, "prob": round(rng.uniform(0.8, 1.0), 6)},
            "harmful_pp": round(rng.uniform(100, 5000), 3),
            "tlsh": f"tlsh:T1{rng.getrandbits(280):070X}",
            "quality_warnings": None,
            "categories": None,
            "sentence_identifications": [
                {"label": label, "prob": round(rng.uniform(0.6, 1.0), 6)} for _ in lines
            ],
        },
    }


def write_corpus(out_dir, megabytes: float, seed: int = 0, parts: int = 2,
                 sentences: list[tuple[str, str]] | None = None) -> dict:
    """Write the corpus into ``out_dir`` (created); see the module docstring.

    ``sentences`` (``(text, lang)`` pairs) replaces the shared-data pool, for tests.
    """
    if parts < 1:
        raise ValueError(f"parts must be >= 1, got {parts}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sentences = sentences if sentences is not None else real_text.norwegian_sentences()
    pools = {lang: [t for t, l in sentences if l == lang] for lang in LABELS}
    short = {lang: [t for t in pool if len(t.split()) <= 8] for lang, pool in pools.items()}
    langs = [lang for lang in LABELS if pools[lang]]
    weights = [len(pools[lang]) for lang in langs]
    rng = random.Random(seed)

    files, writers = [], {}
    for lang in langs:
        for i in range(1, parts + 1):
            path = out_dir / f"{LABELS[lang]}_meta_part_{i}.jsonl.zst"
            raw = path.open("wb")
            # One thread and a fixed level: the bytes depend on the data only.
            writers[lang, i - 1] = (zstandard.ZstdCompressor(level=3).stream_writer(raw), raw)
            files.append({"path": str(path), "label": LABELS[lang], "documents": 0, "bytes": 0})
    entry = {(lang, i): files[k * parts + i] for k, lang in enumerate(langs) for i in range(parts)}

    recent: deque = deque(maxlen=RECENT)  # (lang, paragraphs) of recent original documents
    next_part = Counter()
    planted, per_label = Counter(), Counter()
    limit = megabytes * 1e6
    total = words = docs = 0
    kinds, shares = list(SHARES) + ["original"], list(SHARES.values()) + [1 - sum(SHARES.values())]
    while total < limit:
        kind = rng.choices(kinds, shares)[0] if recent else "original"
        if kind == "exact-duplicate":
            lang, paragraphs = rng.choice(recent)
        elif kind == "near-duplicate":
            lang, paragraphs = rng.choice(recent)
            paragraphs = _near_copy(rng, paragraphs, pools[lang])
        elif kind == "too-short":
            lang = rng.choices(langs, weights)[0]
            paragraphs = [rng.sample(short[lang], rng.randint(1, 2))]
        else:
            lang = rng.choices(langs, weights)[0]
            paragraphs = draw_paragraphs(rng, pools[lang])
            recent.append((lang, paragraphs))
        planted[kind] += 1
        content = "\n".join(" ".join(p) for p in paragraphs)
        record = _record(rng, content, lang, docs)
        part = next_part[lang] % parts
        next_part[lang] += 1
        writers[lang, part][0].write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        size = len(content.encode("utf-8"))
        entry[lang, part]["documents"] += 1
        entry[lang, part]["bytes"] += size
        per_label[LABELS[lang]] += 1
        total += size
        words += len(content.split())
        docs += 1

    for writer, raw in writers.values():
        writer.close()  # closes raw as well
    del planted["original"]
    return {
        "documents": docs,
        "bytes": total,
        "words": words,
        "compressed_bytes": sum(Path(f["path"]).stat().st_size for f in files),
        "planted": dict(sorted(planted.items())),
        "languages": dict(sorted(per_label.items())),
        "files": files,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--megabytes", type=float, default=20.0, help="MB of content (default 20)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--parts", type=int, default=2, help="part files per language (default 2)")
    args = parser.parse_args()
    info = write_corpus(args.out_dir, args.megabytes, seed=args.seed, parts=args.parts)
    print(json.dumps(info, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
