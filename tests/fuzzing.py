"""A fuzzing harness: mutated corpus files through every reader, then clean and langid.

A case is one seed file (a demo corpus file, or a slice of a real third-party file
when ``$SMIE_SHARED_DATA`` is there) mutated with a fixed seed: usually inside its
compression and archive layers (the content is mutated, then packed again as it
was, so the mutation reaches the reader), sometimes the stored bytes themselves.
The only outcomes allowed are the ones the project promises: documents and
counted set-aside records with balanced stats through extract, clean and langid,
or an :class:`~smie.documents.InputError` whose one line names the file. Anything
else (another exception) is a crash, reported with the case's seed to replay it.

tests/test_fuzz.py runs a small budget in ``make test``; ``bench/fuzz.py`` a long one.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import random
import shutil
import tarfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import zstandard

from smie import clean, langid
from smie.documents import InputError
from smie.extract.run import extract
from smie.shard_filter import filter_shard
from smie.stats import check_balance

REPO = Path(__file__).resolve().parents[1]

# Bytes that mean something to one of the formats, or to a decoder.
TOKENS = [
    b"<", b">", b"</", b"<!--", b"-->", b"<script>", b"<style>", b"<![CDATA[", b"]]>", b"&", b"&#0;",
    b"&#xD800;", b"&amp;", b'"', b"'", b"'''''", b"{{", b"}}", b"[[", b"]]", b"{|", b"==", b"<math>",
    b"<ref>", b"\\ud800", b"\\u0000", b'\\"', b"{", b"}", b"[", b"]", b":", b",", b"\n", b"\r\n", b"\r",
    b"\x00", b"\x1b", b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", "\u2028".encode(),
    "\ufeff".encode(), "\u00b6".encode(), b"\xb6", b"##U ", b"<U #", b"<artikkel>", b"</artikkel>",
    b"<document>", b'<attribute name="url" value="', b"</text>", b"</page>", b"<page>", b"@", b"http://",
    b"x" * 64, b" " * 64,
]


def _mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """One to four random edits: replaced bytes, a format token inserted (or
    repeated up to thousands of times), a range deleted or doubled, the end cut off."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(buf))
        op = rng.randrange(6)
        if op == 0:
            for _ in range(rng.randint(1, 8)):
                if buf:
                    buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 1:
            buf[at:at] = rng.choice(TOKENS)
        elif op == 2:
            buf[at:at] = rng.choice(TOKENS) * rng.choice((2, 10, 100, 3000))
        elif op == 3:
            del buf[at : at + rng.randint(1, 200)]
        elif op == 4:
            buf[at:at] = buf[at : at + rng.randint(1, 400)] * rng.randint(1, 3)
        else:
            del buf[at:]
    return bytes(buf)


def _repack_tar(rng: random.Random, data: bytes) -> bytes:
    """A tar archive with one member's content mutated (members are kept in order)."""
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
    files = [i for i, (_, content) in enumerate(members) if content is not None]
    target = rng.choice(files) if files else -1
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for i, (member, content) in enumerate(members):
            if content is None:
                tar.addfile(member)
                continue
            if i == target:
                content = mutate_file(rng, member.name, content)
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    return out.getvalue()


def mutate_file(rng: random.Random, name: str, data: bytes) -> bytes:
    """``data`` (a file called ``name``) mutated: mostly its content, packed again as it was."""
    if rng.random() < 0.15:
        return _mutate_bytes(rng, data)  # the container itself
    if name.endswith(".gz") or name.endswith(".tgz"):
        inner = name[: -len(".gz")] if name.endswith(".gz") else name[:-4] + ".tar"
        return gzip.compress(mutate_file(rng, inner, gzip.decompress(data)), mtime=0)
    if name.endswith(".bz2"):
        return bz2.compress(mutate_file(rng, name[:-4], bz2.decompress(data)))
    if name.endswith(".zst"):
        inner = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
        return zstandard.ZstdCompressor().compress(mutate_file(rng, name[:-4], inner))
    if name.endswith(".tar"):
        return _repack_tar(rng, data)
    return _mutate_bytes(rng, data)


@dataclass(frozen=True)
class Seed:
    kind: str  # the reader
    name: str  # the file name the reader sees (its extension matters)
    data: bytes


def demo_seeds() -> list[Seed]:
    """Every file of the demo corpora (made by the project: smoke, not evidence)."""
    corpora = REPO / "demo" / "corpora"
    seeds = []
    for kind, folder in (("wikipedia", "wikipedia"), ("nak", "nak"), ("oscar", "oscar2019"),
                         ("oscar", "oscar2201"), ("oscar", "oscar2301"), ("text", "text"), ("html", "html")):
        for path in sorted((corpora / folder).rglob("*")):
            if path.is_file() and "md5sums" not in path.name:
                seeds.append(Seed(kind, path.name, path.read_bytes()))
    return seeds


def real_seeds(shared_data: Path, pages: int = 12) -> list[Seed]:
    """Slices of real third-party files in ``shared_data/formats`` (none when it is absent)."""
    formats = shared_data / "formats"
    if not formats.is_dir():
        return []
    seeds = [Seed("wikipedia", "enwiki-table-markup.xml.bz2",
                  (formats / "wikipedia" / "enwiki-table-markup.xml.bz2").read_bytes())]
    oscar_io = (formats / "oscar" / "oscar-io" / "data.jsonl").read_bytes()
    seeds.append(Seed("oscar", "no_meta_part_1.jsonl", b"".join(oscar_io.splitlines(keepends=True)[:20])))
    for path in sorted((formats / "oscar" / "hf-datasets-dummy").glob("*/dummy_data/*.txt.gz")):
        seeds.append(Seed("oscar", path.name, path.read_bytes()))
    with tarfile.open(formats / "html" / "article-extraction-benchmark.tar.gz") as tar:
        for member in tar:
            if len(seeds) >= pages + 8:
                break
            if member.isfile() and member.name.startswith("html/") and member.name.endswith(".html.gz"):
                seeds.append(Seed("html", Path(member.name).name[:-3], gzip.decompress(tar.extractfile(member).read())))
    return seeds


def run_case(seed: Seed, data: bytes, workdir: Path) -> None:
    """Extract, clean and langid one mutated file; raises on any outcome the project does not promise."""
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / seed.name
    path.write_bytes(data)
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    shard = out / "extract.jsonl.gz"
    try:
        stats = extract([path], kind=seed.kind, source="fuzz", lang_hint=None, shard_paths=[shard],
                        stats_path=out / "extract.json", rejected_path=out / "rejected.jsonl.gz")
    except InputError as error:
        message = str(error)
        if path.name not in message or "\n" in message.strip():
            raise AssertionError(f"an InputError that is not one line naming the file: {message!r}") from error
        return
    check_balance(stats.to_dict())
    previous = shard
    for stage, step in (("clean", clean.make_step()), ("langid", langid.make_step(langid.Settings(level="paragraph")))):
        shard = out / f"{stage}.jsonl.gz"
        check_balance(filter_shard(previous, shard, out / f"{stage}.json", out / f"{stage}-dropped.jsonl.gz",
                                   stage=stage, source="fuzz", step=step).to_dict())
        previous = shard


@dataclass
class Report:
    cases: int = 0
    crashes: list = None  # (seed, case number, seed file, traceback)
    slowest: tuple = (0.0, None)  # (seconds, (case number, seed file))

    def __post_init__(self):
        self.crashes = self.crashes or []


def fuzz(seeds: list[Seed], cases: int, seed: int, workdir: Path) -> Report:
    """``cases`` mutated files, case ``i`` with ``random.Random(f"{seed}/{i}")`` (replayable alone)."""
    report = Report()
    for i in range(cases):
        rng = random.Random(f"{seed}/{i}")
        original = seeds[rng.randrange(len(seeds))]
        data = mutate_file(rng, original.name, original.data)
        start = time.perf_counter()
        try:
            run_case(original, data, workdir / str(i))
        except Exception:
            report.crashes.append((seed, i, original.name, traceback.format_exc()))
        finally:
            shutil.rmtree(workdir / str(i), ignore_errors=True)
        took = time.perf_counter() - start
        if took > report.slowest[0]:
            report.slowest = (took, (i, original.name))
        report.cases += 1
    return report


def to_json(report: Report) -> str:
    return json.dumps({"cases": report.cases, "crashes": report.crashes, "slowest": report.slowest}, indent=1)
