"""smie's Wikipedia reader beside wikiextractor's own command line, on the real dumps.

    .venv/bin/python bench/wikipedia_compare.py [--data ../shared/data/formats/wikipedia]

For every dump in the folder (the multistream copy of the enwiki excerpt is left
out: it holds the same pages), runs ``python -m wikiextractor.WikiExtractor --json``
(its defaults otherwise, templates expanded from whatever templates the dump holds)
into a temporary folder, and smie's reader once per ``lists`` setting (drop, prose,
all). Prints, per dump: documents (wikiextractor: articles with any text), words in
all, the median of words per document, and, over the pages both give, how many
pages smie gives under 80% of wikiextractor's words, or over 125%. Words are
whitespace-separated tokens of the text (wikiextractor's headings included, as
smie's are). ``--show N`` prints the N pages where smie (prose) falls furthest short.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from smie.documents import Document  # noqa: E402
from smie.extract.wikipedia import read  # noqa: E402
from smie.extract.wikitext import LISTS  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("SMIE_SHARED_DATA", REPO.parent / "shared" / "data")) / "formats" / "wikipedia"
SHORT, LONG = 0.8, 1.25  # "notably fewer" and "notably more" words than wikiextractor


def words(text: str) -> int:
    return len(text.split())


def median(values) -> str:
    values = list(values)
    return f"{statistics.median(values):.0f}" if values else "-"


def wikiextractor(dump: Path, out: Path) -> tuple[dict[str, int], float]:
    """Words per page id of wikiextractor's JSON output (pages with any text), and seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wikiextractor.WikiExtractor", "--json", "-q", "-o", str(out), str(dump)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    pages = {}
    for part in sorted(out.rglob("wiki_*")):
        for line in part.read_text(encoding="utf-8").splitlines():
            page = json.loads(line)
            if page["text"].strip():
                pages[page["id"]] = words(page["text"])
    return pages, seconds


def smie(dump: Path, lists: str) -> tuple[dict[str, int], float]:
    """Words per page id of smie's documents, and seconds."""
    start = time.perf_counter()
    pages = {r.meta["page_id"]: words(r.text) for r in read(dump, "w", lists=lists) if isinstance(r, Document)}
    return {str(k): v for k, v in pages.items()}, time.perf_counter() - start


def compare(dump: Path, show: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        theirs, their_seconds = wikiextractor(dump, Path(tmp) / "out")
    rows = [f"| {dump.name} | wikiextractor | {len(theirs)} | {sum(theirs.values()):,} | "
            f"{median(theirs.values())} | | | {their_seconds:.1f} |"]
    for lists in LISTS:
        ours, seconds = smie(dump, lists)
        both = sorted(set(ours) & set(theirs))
        short = [p for p in both if ours[p] < SHORT * theirs[p]]
        more = [p for p in both if ours[p] > LONG * theirs[p]]
        rows.append(f"| | smie, lists: {lists} | {len(ours)} | {sum(ours.values()):,} | {median(ours.values())} | "
                    f"{len(short)} | {len(more)} | {seconds:.1f} |")
        if lists == "prose" and show:
            for p in sorted(short, key=lambda p: ours[p] / theirs[p])[:show]:
                print(f"  {dump.name}: page {p}: smie {ours[p]} words, wikiextractor {theirs[p]}", file=sys.stderr)
            for p in sorted(set(theirs) - set(ours))[:show]:
                print(f"  {dump.name}: page {p}: no smie document, wikiextractor {theirs[p]} words", file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--show", type=int, default=0, help="print the N pages smie shortens most")
    args = parser.parse_args()
    dumps = [p for p in sorted(args.data.glob("*.bz2")) if "multistream" not in p.name]
    if not dumps:
        sys.exit(f"no dumps (*.bz2) in {args.data} (set SMIE_SHARED_DATA or pass --data)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"pages under {SHORT:.0%} / over {LONG:.0%}: smie's words against wikiextractor's, pages both give\n")
    print("| dump | extractor | documents | words | median words per page | pages under | pages over | seconds |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for dump in dumps:
        print("\n".join(compare(dump, args.show)))


if __name__ == "__main__":
    main()
