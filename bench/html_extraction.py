"""smie's html reader on the article-extraction benchmark, beside plain trafilatura.

    .venv/bin/python bench/html_extraction.py

Reads ``$SMIE_SHARED_DATA/formats/html/article-extraction-benchmark.tar.gz`` (181
saved news pages and their gold main text; see the shared data README, section 3),
runs smie's ``html`` reader over the tar as a source and trafilatura's
``extract(html, include_comments=False)`` on each page, and scores both with the
benchmark's shingle metric (bench/article_extraction.py). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from article_extraction import TAR, gold_texts, predict_each, predictions, score  # noqa: E402
from real_text import shared_data  # noqa: E402
from smie.extract import READERS  # noqa: E402


def smie_reader(tar: Path) -> dict[str, str]:
    return predictions(READERS["html"](tar, "bench"), "bench")


def plain_trafilatura(tar: Path) -> dict[str, str]:
    import trafilatura

    return predict_each(tar, lambda page: trafilatura.extract(page.decode("utf-8"), include_comments=False))


SYSTEMS = {"smie html reader": smie_reader, "trafilatura extract(include_comments=False)": plain_trafilatura}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--only", choices=["smie", "trafilatura"], help="run one system")
    args = parser.parse_args()
    tar = shared_data() / TAR
    if not tar.is_file():
        raise SystemExit(f"benchmark not found: {tar} (set SMIE_SHARED_DATA)")
    gold = gold_texts(tar)
    print(f"{len(gold)} pages; {platform.processor() or platform.machine()}, Python {platform.python_version()}\n")
    print("| system | F1 ± std | P | R | empty pages | zero-overlap pages | seconds |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, system in SYSTEMS.items():
        if args.only and not name.startswith(args.only):
            continue
        start = time.perf_counter()
        predicted = system(tar)
        seconds = time.perf_counter() - start
        r = score(gold, predicted, resamples=args.resamples)
        print(f"| {name} | {r.f1:.3f} ± {r.f1_std:.3f} | {r.precision:.3f} | {r.recall:.3f} "
              f"| {len(r.empty)} | {len(r.zero_overlap)} | {seconds:.1f} |", flush=True)
        for page in r.zero_overlap:
            print(f"  zero overlap: {page}", file=sys.stderr)


if __name__ == "__main__":
    main()
