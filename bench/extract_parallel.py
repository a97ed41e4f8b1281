"""Extracting a Wikipedia multistream dump in parallel parts: wall time of
``snakemake extract`` with 1 part, and with 2 parts on 1 and on 2 cores.

The dump is made of the real English sample's pages (``$SMIE_SHARED_DATA/formats/
wikipedia``, the gensim excerpt) repeated ``--copies`` times under new page ids, in
Wikimedia's multistream layout (100 pages per bz2 stream) with its index. Every
configuration must give the same shards, byte for byte.

    .venv/bin/python bench/extract_parallel.py --copies 8
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))
from fixtures_readers import multistream  # noqa: E402
from real_text import shared_data  # noqa: E402

SAMPLE = "formats/wikipedia/enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"
_PAGE = re.compile(r"  <page>\n.*?</page>\n", re.S)
_PAGE_ID = re.compile(r"(<page>\s*<title>[^<]*</title>\s*<ns>\d+</ns>\s*<id>)(\d+)")


def build(copies: int, out: Path) -> tuple[Path, Path, int]:
    xml = bz2.decompress((shared_data() / SAMPLE).read_bytes()).decode("utf-8")
    pages = _PAGE.findall(xml)
    step = 10 ** len(str(max(int(m.group(2)) for p in pages for m in [_PAGE_ID.search(p)])))
    repeated = [_PAGE_ID.sub(lambda m, c=c: m.group(1) + str(c * step + int(m.group(2))), p)
                for c in range(copies) for p in pages]
    dump, index = multistream(repeated, 100)
    (out / "dump.xml.bz2").write_bytes(dump)
    (out / "index.txt.bz2").write_bytes(index)
    return out / "dump.xml.bz2", out / "index.txt.bz2", len(bz2.decompress(dump))


def extract(dump: Path, index: Path, parts: int, cores: int, work: Path) -> tuple[float, str]:
    spec = {"url": dump.as_uri(), "index": {"url": index.as_uri()}, "parts": parts}
    work.mkdir()
    config = work / "config.yaml"
    config.write_text(yaml.safe_dump({"sources": {"wiki": {"kind": "wikipedia", "shards": 4, "files": [spec]}}}))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snakemake", "extract", "--snakefile", str(REPO / "Snakefile"),
                    "--configfile", str(config), "--directory", str(work), "--cores", str(cores), "--quiet"],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - start
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(work.glob("results/extract/wiki/*.*"))))
    return seconds, digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dump, index, size = build(args.copies, tmp)
        print(f"dump: {dump.stat().st_size / 1e6:.1f} MB bz2, {size / 1e6:.1f} MB XML\n")
        print("| parts | cores | wall s | MB/s (XML) | shards |")
        print("|---:|---:|---:|---:|---|")
        digests = set()
        for parts, cores in ((1, 1), (2, 1), (2, 2)):
            seconds, digest = extract(dump, index, parts, cores, tmp / f"run-{parts}-{cores}")
            digests.add(digest)
            print(f"| {parts} | {cores} | {seconds:.1f} | {size / 1e6 / seconds:.2f} | {digest[:12]} |", flush=True)
        assert len(digests) == 1, "the configurations gave different shards"


if __name__ == "__main__":
    main()
