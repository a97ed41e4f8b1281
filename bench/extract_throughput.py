"""Throughput and peak memory of the extract stage, at two input sizes.

Builds a Wikipedia dump and an OSCAR 23.01 file by repeating the demo's documents
under fresh ids (N copies), runs smie's extract on each in a child process, and
prints documents/s, MB/s of uncompressed input and peak RSS. Memory must not grow
with input size: compare the two sizes.

    .venv/bin/python bench/extract_throughput.py --copies 20 200
"""

from __future__ import annotations

import argparse
import bz2
import json
import random
import re
import sys
import tempfile
from pathlib import Path

import zstandard

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import fresh_process  # noqa: E402
DEMO = REPO / "demo" / "corpora"


def build_wiki(copies: int, out: Path) -> int:
    xml = bz2.decompress((DEMO / "wikipedia" / "nowiki-20260101-pages-articles.xml.bz2").read_bytes()).decode()
    head, rest = xml.split("<page>", 1)
    pages = "<page>" + rest.rsplit("</mediawiki>", 1)[0]
    with bz2.open(out, "wt", encoding="utf-8") as f:
        f.write(head)
        for c in range(copies):
            # fresh page ids, so every copy is a distinct document
            f.write(re.sub(r"(<page>\s*<title>[^<]*</title>\s*<ns>\d+</ns>\s*<id>)(\d+)",
                           lambda m: f"{m[1]}{c}{int(m[2]):06d}", pages))
        f.write("</mediawiki>\n")
    return len(head) + copies * len(pages.encode())


def build_oscar(copies: int, out: Path) -> int:
    records = [json.loads(line) for line in zstandard.ZstdDecompressor().stream_reader(
        (DEMO / "oscar2301" / "no_meta_part_1.jsonl.zst").open("rb")).read().decode().splitlines()]
    sentences = [s for r in records for s in re.split(r"(?<=[.!?]) ", r["content"])]
    rng = random.Random(0)
    size = 0
    with zstandard.ZstdCompressor().stream_writer(out.open("wb")) as f:
        for _ in range(copies):
            for record in records:
                # Reshuffled sentences: real-looking documents that do not compress
                # like exact copies would.
                record["content"] = " ".join(rng.sample(sentences, 12))
                data = (json.dumps(record, ensure_ascii=False) + "\n").encode()
                size += len(data)
                f.write(data)
    return size


def measure(kind: str, path: Path, workdir: Path) -> dict:
    return fresh_process.run(f"""
import json, time
from smie.extract.run import extract
t = time.perf_counter()
s = extract([{str(path)!r}], kind={kind!r}, source="bench", lang_hint=None,
            shard_paths=[{str(workdir / 'a.jsonl.gz')!r}, {str(workdir / 'b.jsonl.gz')!r}],
            stats_path={str(workdir / 'stats.json')!r}, rejected_path={str(workdir / 'rej.jsonl.gz')!r})
print(json.dumps(dict(seconds=time.perf_counter() - t, docs=s.docs["kept"], words=s.words["kept"],
                      rss_mb={fresh_process.PEAK_RSS_MB})))
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[20, 200])
    args = parser.parse_args()
    print("| reader | input MB (uncompressed) | documents | seconds | documents/s | MB/s | words/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for kind, build, name in (("wikipedia", build_wiki, "dump.xml.bz2"), ("oscar", build_oscar, "part.jsonl.zst")):
            for copies in args.copies:
                size = build(copies, tmp / name)
                r = measure(kind, tmp / name, tmp)
                print(f"| {kind} | {size / 1e6:.1f} | {r['docs']:,} | {r['seconds']:.1f} | "
                      f"{r['docs'] / r['seconds']:,.0f} | {size / 1e6 / r['seconds']:.2f} | "
                      f"{r['words'] / r['seconds']:,.0f} | {r['rss_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
