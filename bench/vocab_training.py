"""Vocabulary training speed, and a 30k cased WordPiece on real Norwegian text.

Builds a corpus of the real sentences of bench/real_text.py (NDT train, UD dev,
NoReC_fine train: about 42,000 distinct sentences, 3.7 MB), reshuffled and
repeated to each requested size, in the udpipe stage's formats:
``sentences.txt.gz`` (original spacing) and ``tokens.txt.gz`` (words and
punctuation split by spaces). Each measurement runs in a fresh process:

- WordPiece: smie.vocab.build_wordpiece, cased, 30,000 entries, the held-out
  share left out (two reads of the file, training, the held-out report);
- ELMo counting: smie.vocab.count_words and write_counts on one shard.

Words are whitespace-separated words of the text. A held-out sentence is held
out in every copy (the split hashes its text), so the fertility and UNK rate
are measured on sentences the vocabulary never saw.

    .venv/bin/python bench/vocab_training.py --mb 10 50
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from real_text import REPO, norwegian_sentences  # noqa: E402

_TOKEN = re.compile(r"\w+|[^\w\s]")


def build_corpus(sentences: list[str], megabytes: float, folder: Path) -> dict:
    """sentences.txt.gz and tokens.txt.gz of about ``megabytes`` of text:
    reshuffled copies of the sentences, documents of 20 sentences."""
    rng = random.Random(0)
    size = words = lines = 0
    with gzip.open(folder / "sentences.txt.gz", "wt", encoding="utf-8") as sent, \
            gzip.open(folder / "tokens.txt.gz", "wt", encoding="utf-8") as tok:
        while size < megabytes * 1e6:
            for i, s in enumerate(rng.sample(sentences, len(sentences))):
                if size >= megabytes * 1e6:
                    break
                if i % 20 == 0 and i:
                    sent.write("\n")
                    tok.write("\n")
                sent.write(s + "\n")
                tok.write(" ".join(_TOKEN.findall(s)) + "\n")
                size += len(s.encode()) + 1
                words += len(s.split())
                lines += 1
    return {"mb": size / 1e6, "words": words, "sentences": lines}


def measure(code: str, threads: int) -> dict:
    """Run ``code`` in a fresh Python (it prints one JSON line); add wall and CPU
    seconds (all threads, interpreter start included) and peak RSS."""
    wrapper = f"""
import json, resource, sys, time
sys.path.insert(0, {str(REPO)!r})
t = time.perf_counter()
{code}
usage = resource.getrusage(resource.RUSAGE_SELF)
result.update(seconds=time.perf_counter() - t, cpu_seconds=usage.ru_utime + usage.ru_stime,
              rss_mb=usage.ru_maxrss / 1024)
print(json.dumps(result))
"""
    env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[10, 50], help="corpus sizes, MB of text")
    parser.add_argument("--heldout", type=float, default=0.05, help="held-out share of the sentences")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()

    sentences = [text for text, _ in norwegian_sentences()]
    rows, report = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.mb:
            folder = Path(tmp, f"{mb:g}")
            folder.mkdir()
            corpus = build_corpus(sentences, mb, folder)
            wp = measure(f"""
from smie import vocab
result = vocab.build_wordpiece([{str(folder / 'sentences.txt.gz')!r}], {str(folder / 'wp')!r},
                               vocab.WordPieceSettings(size=30000), heldout={args.heldout})
""", args.threads)
            count = measure(f"""
from smie import vocab
counts, stats = vocab.count_words({str(folder / 'tokens.txt.gz')!r})
vocab.write_counts(counts, {str(folder / 'counts.tsv.gz')!r})
result = stats
""", args.threads)
            for what, m in (("WordPiece 30k cased", wp), ("ELMo word counts", count)):
                timing = {k: m[k] for k in ("seconds", "cpu_seconds", "rss_mb")}
                rows.append({"what": what, **corpus, **timing, "words_per_s": corpus["words"] / m["seconds"],
                             "words_per_cpu_s": corpus["words"] / m["cpu_seconds"]})
            report = wp

    print(f"threads: {args.threads}\n")
    print("| step | MB of text | words | seconds | words/s | CPU seconds | words/CPU-s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['what']} | {r['mb']:.1f} | {r['words']:,} | {r['seconds']:.1f} | {r['words_per_s']:,.0f} | "
              f"{r['cpu_seconds']:.1f} | {r['words_per_cpu_s']:,.0f} | {r['rss_mb']:.0f} |")
    from smie.vocab import is_heldout

    distinct = sum(is_heldout(s, args.heldout) for s in sentences)
    print(f"\nWordPiece 30k cased on the last corpus, measured on its held-out lines: {distinct:,} "
          f"distinct sentences ({args.heldout:.0%}), every copy counted:\n")
    print("| vocabulary entries | held-out words | subwords | fertility | words split | UNK rate |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {report['vocab_size']:,} | {report['words']:,} | {report['subwords']:,} | {report['fertility']:.3f} | "
          f"{report['words_split']:.1%} | {report['unk_rate']:.3%} |")


if __name__ == "__main__":
    main()
