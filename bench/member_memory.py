"""Peak memory of extract and clean on one huge archive member or OSCAR line, and on
large Norsk Aviskorpus files of small articles.

A ``text`` source (a tar.gz of a small file and one member of N MB) and an OSCAR
23.01 file (a small record and one record of N MB on one line) are extracted and
cleaned in a fresh process, once with the default ``max_document_mb`` (16) and
once without a limit, and the process's peak RSS is printed. With the limit, the
huge record is set aside as too-large and memory stays flat in N; without it,
memory grows with N. Then a NAK section 1 file (gzip, a token per line) and a
section 2 archive whose one member holds all the articles, of N MB decompressed
each, are extracted: memory must not grow with the file.

    .venv/bin/python bench/member_memory.py --mb 50 200 [--only records|nak]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
import sys
import tarfile
import tempfile
from pathlib import Path

import zstandard

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
import fresh_process  # noqa: E402
DEFAULT_MAX_BYTES = 16 * 2**20  # the schema's default max_document_mb


def sentences() -> list[str]:
    raw = zstandard.ZstdDecompressor().stream_reader(
        (REPO / "demo/corpora/oscar2301/no_meta_part_1.jsonl.zst").open("rb")).read().decode()
    return [s for line in raw.splitlines() for s in re.split(r"(?<=[.!?]) ", json.loads(line)["content"])]


def text_of(mb: int, rng: random.Random, pool: list[str]) -> str:
    """About ``mb`` MB of paragraphs of real-looking sentences."""
    parts, size = [], 0
    while size < mb * 1_000_000:
        paragraph = " ".join(rng.sample(pool, 6))
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(parts)


def build(kind: str, mb: int, out: Path) -> Path:
    pool = sentences()
    rng = random.Random(mb)
    small, large = " ".join(pool[:8]), text_of(mb, rng, pool)
    if kind == "text":
        path = out / "texts.tar.gz"
        with tarfile.open(path, "w:gz", compresslevel=1) as tar:
            for name, text in (("small.txt", small), ("large.txt", large)):
                data = text.encode()
                member = tarfile.TarInfo(name)
                member.size = len(data)
                tar.addfile(member, io.BytesIO(data))
        return path
    path = out / "no_meta_part_1.jsonl.zst"
    with zstandard.ZstdCompressor(level=1).stream_writer(path.open("wb")) as f:
        for text in (small, large):
            f.write((json.dumps({"content": text}, ensure_ascii=False) + "\n").encode())
    return path


def build_nak(section: int, mb: int, out: Path) -> tuple[Path, int]:
    """A section 1 gzip file or a section 2 tar.gz of one member, of about ``mb`` MB of
    articles of 300-600 words, in the published layouts; and the number of articles."""
    pool, rng = sentences(), random.Random(mb)
    parts, size, n = [], 0, 0
    while size < mb * 1_000_000:
        n += 1
        words = " ".join(rng.sample(pool, 30)).split()[: rng.randint(300, 600)]
        if section == 1:
            part = "\n".join([f"<U #http://avis.example.no/{n}>", "|", "<B AA>", "<A 99>", "<M 01>", "<D 02>", *words])
        else:
            text = " ".join(words).replace(". ", ". ¶\n")
            part = "\n".join([f"##U #http://avis.example.no/{n}>", "##B AA>", "##A 08>", "##M 01>", "##D 02>", text])
        parts.append(part)
        size += len(part.encode()) + 1
    data = ("\n".join(parts) + "\n").encode("iso-8859-1", "replace")
    if section == 1:
        path = out / "19981013-20010307.gz"
        with gzip.open(path, "wb", compresslevel=1) as f:
            f.write(data)
        return path, n
    path = out / "aa.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        member = tarfile.TarInfo("aa/20080122.txt")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    return path, n


def measure(kind: str, path: Path, max_bytes: int | None, work: Path) -> dict:
    return fresh_process.run(f"""
import json
from smie.clean import make_step
from smie.extract.run import extract
from smie.shard_filter import filter_shard
w = {str(work)!r}
s = extract([{str(path)!r}], kind={kind!r}, source="bench", lang_hint=None, max_document_bytes={max_bytes!r},
            shard_paths=[w + "/x.jsonl.gz"], stats_path=w + "/x.json", rejected_path=w + "/xr.jsonl.gz")
c = filter_shard(w + "/x.jsonl.gz", w + "/c.jsonl.gz", w + "/c.json", w + "/cr.jsonl.gz",
                 stage="clean", source="bench", step=make_step())
print(json.dumps(dict(extracted=s.docs["kept"], set_aside=dict(s.dropped_docs), cleaned=c.docs["kept"],
                      rss_mb={fresh_process.PEAK_RSS_MB})))
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--only", choices=["records", "nak"], help="one of the two tables")
    args = parser.parse_args()
    if args.only != "nak":
        huge_records(args.mb)
    if args.only != "records":
        nak_files(args.mb)


def huge_records(sizes: list[int]) -> None:
    print("| source | huge record MB | max_document_mb | documents extracted | set aside | peak RSS MB |")
    print("|---|---:|---|---:|---|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for kind in ("text", "oscar"):
            for mb in sizes:
                path = build(kind, mb, tmp)
                for max_bytes in (DEFAULT_MAX_BYTES, None):
                    r = measure(kind, path, max_bytes, tmp)
                    limit = "16 (default)" if max_bytes else "no limit"
                    print(f"| {kind} | {mb} | {limit} | {r['extracted']} | {r['set_aside'] or '-'} | "
                          f"{r['rss_mb']:,.0f} |", flush=True)
                path.unlink()


def nak_files(sizes: list[int]) -> None:
    print("| NAK layout | file MB (decompressed) | articles | documents extracted | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for section in (1, 2):
            for mb in sizes:
                path, n = build_nak(section, mb, tmp)
                r = measure("nak", path, DEFAULT_MAX_BYTES, tmp)
                print(f"| section {section} | {mb} | {n:,} | {r['extracted']:,} | {r['rss_mb']:,.0f} |", flush=True)
                path.unlink()


if __name__ == "__main__":
    main()
