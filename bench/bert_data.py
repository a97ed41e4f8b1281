"""Speed and memory of bert_data: one shard of real Norwegian sentences to sequences.

The corpus is vocab_training.py's (the real sentences of bench/real_text.py,
reshuffled and repeated, documents of 20 sentences) at each size, one shard. A
30k cased WordPiece is trained once on the first size; then
smie.bert.data.write_shard builds length-128 sentence pairs for next-sentence
prediction (and, with --mlm, packed single segments), each in a fresh process.

    .venv/bin/python bench/bert_data.py --mb 10 50
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from real_text import norwegian_sentences
from vocab_training import build_corpus, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[10, 50], help="shard sizes, MB of text")
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    sentences = [text for text, _ in norwegian_sentences()]
    print(f"threads: {args.threads}, sequence length {args.seq}\n")
    print("| shard MB of text | words | task | sequences | seconds | words/s | padding | peak RSS MB |")
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        wp = Path(tmp, "wp")
        for i, mb in enumerate(args.mb):
            folder = Path(tmp, f"{mb:g}")
            folder.mkdir()
            corpus = build_corpus(sentences, mb, folder)
            if i == 0:
                measure(f"""
from smie import vocab
result = vocab.build_wordpiece([{str(folder / 'sentences.txt.gz')!r}], {str(wp)!r}, vocab.WordPieceSettings(size=30000))
""", args.threads)
            for task in ("nsp", "mlm"):
                m = measure(f"""
from tokenizers import Tokenizer
from smie.bert.data import DataSettings, write_shard
tok = Tokenizer.from_file({str(wp / 'tokenizer.json')!r})
result = write_shard({str(folder / 'sentences.txt.gz')!r}, tok, {args.seq}, {task == 'nsp'}, DataSettings(),
                     {str(folder / 'ids.npy')!r}, {str(folder / 'nsp.npy')!r}, "bench/0000")
""", args.threads)
                print(f"| {corpus['mb']:.1f} | {corpus['words']:,} | {task} | {m['sequences']:,} | {m['seconds']:.1f} | "
                      f"{corpus['words'] / m['seconds']:,.0f} | {m['padding']:.1%} | {m['rss_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
