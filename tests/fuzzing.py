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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

from smie import clean, langid
from smie.documents import InputError
from smie.extract.run import extract
from smie.shard_filter import filter_shard
from smie.stats import check_balance

REPO = Path(__file__).resolve().parents[1]

# Bytes that mean something to a decoder or to any reader, and (drawn as often as
# all of those) to the format of the file at hand.
TOKENS = [
    b"<", b">", b"</", b"&", b"&#0;", b'"', b"'", b"{", b"}", b"[", b"]", b":", b",", b"\n", b"\r\n", b"\r",
    b"\t", b"\x00", b"\x1b", b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x80", b"\xed\xa0\x80", "\u2028".encode(),
    "\ufeff".encode(), "\u00ad".encode(), "\u200b".encode(), b"@", b"http://", b"x" * 64, b" " * 64,
]
FORMAT_TOKENS = {
    "wikipedia": [b"<!--", b"-->", b"{{", b"}}", b"[[", b"]]", b"{|", b"|}", b"==", b"'" * 5, b"<math>",
                  b"<ref>", b"</text>", b"</page>", b"<page>", b"&lt;", b"&amp;", b"#REDIRECT ", b"<![CDATA["],
    "oscar": [b"\\ud800", b"\\udfff", b"\\u0000", b'\\"', b"\\", b'"content": ', b'"metadata": ', b"null",
              b"\n\n", b"{}", b"[]"],
    "html": [b"<!--", b"<script>", b"<style>", b"<main>", b"<article>", b"<nav>", b'<div class="paywall">',
             b'<meta charset="', b"</body>", b"&nbsp;", b"&#xD800;", b"<![CDATA[", b"]]>"],
    "nak": [b"<U #", b"<B ", b"##U ", b"\xb6", "\u00b6".encode(), b" | ", b"##B ", b"<D ", b"<M >", b"|\n",
            b"<document>", b'<attribute name="url" value="', b'<div type="text">', b'<div type="title">', b"<p>", b"</div>"],
    "text": [b"\n\n", b"\r\n\r\n", b"\x0c"],
}


def _mutate_bytes(rng: random.Random, data: bytes, tokens: list[bytes]) -> bytes:
    """One to four random edits: replaced bytes, a token inserted (or repeated up to
    thousands of times), a range deleted or doubled, the end cut off. Half of the
    insertions go after a space or a quote: inside text, past the reader's parsing."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(buf))
        if rng.random() < 0.5:
            inside = max(buf.find(b" ", at), buf.find(b'"', at))
            at = inside + 1 if inside >= 0 else at
        op = rng.randrange(6)
        if op == 0:
            for _ in range(rng.randint(1, 8)):
                if buf:
                    buf[rng.randrange(len(buf))] = rng.randrange(256)
        elif op == 1:
            buf[at:at] = rng.choice(tokens)
        elif op == 2:
            buf[at:at] = rng.choice(tokens) * rng.choice((2, 10, 100, 3000))
        elif op == 3:
            del buf[at : at + rng.randint(1, 200)]
        elif op == 4:
            buf[at:at] = buf[at : at + rng.randint(1, 400)] * rng.randint(1, 3)
        else:
            del buf[at:]
    return bytes(buf)


def _repack_tar(rng: random.Random, data: bytes, tokens: list[bytes]) -> bytes:
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
                content = _mutate_file(rng, member.name, content, tokens)
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    return out.getvalue()


def mutate_file(rng: random.Random, kind: str, name: str, data: bytes) -> bytes:
    """``data``, a file called ``name`` for the ``kind`` reader, mutated: mostly its
    content, packed again as it was."""
    tokens = TOKENS if rng.random() < 0.5 else FORMAT_TOKENS[kind]
    return _mutate_file(rng, name, data, tokens)


def _mutate_file(rng: random.Random, name: str, data: bytes, tokens: list[bytes]) -> bytes:
    if rng.random() < 0.15:
        return _mutate_bytes(rng, data, tokens)  # the container itself
    if name.endswith(".gz") or name.endswith(".tgz"):
        inner = name[: -len(".gz")] if name.endswith(".gz") else name[:-4] + ".tar"
        return gzip.compress(_mutate_file(rng, inner, gzip.decompress(data), tokens), mtime=0)
    if name.endswith(".bz2"):
        return bz2.compress(_mutate_file(rng, name[:-4], bz2.decompress(data), tokens))
    if name.endswith(".zst"):
        inner = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
        return zstandard.ZstdCompressor().compress(_mutate_file(rng, name[:-4], inner, tokens))
    if name.endswith(".tar"):
        return _repack_tar(rng, data, tokens)
    return _mutate_bytes(rng, data, tokens)


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
    seeds.append(Seed("oscar", "no_meta_part_1.jsonl", b"".join(oscar_io.splitlines(keepends=True)[:5])))
    for path in sorted((formats / "oscar" / "hf-datasets-dummy").glob("*/dummy_data/*.txt.gz")):
        seeds.append(Seed("oscar", path.name, path.read_bytes()))
    with tarfile.open(formats / "html" / "article-extraction-benchmark.tar.gz") as tar:
        html = (m for m in tar if m.isfile() and m.name.endswith(".html"))
        for member, _ in zip(html, range(pages)):
            seeds.append(Seed("html", Path(member.name).name, tar.extractfile(member).read()))
    return seeds


def run_case(seed: Seed, data: bytes, workdir: Path) -> Counter:
    """Extract, clean and langid one mutated file: what came of it (files refused,
    documents kept and set aside by stage). Raises on any outcome the project does not promise."""
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
        return Counter({"files refused": 1})
    outcome = Counter()
    previous = shard
    for stage, step in (("clean", clean.make_step()), ("langid", langid.make_step(langid.Settings(level="paragraph")))):
        shard = out / f"{stage}.jsonl.gz"
        numbers = filter_shard(previous, shard, out / f"{stage}.json", out / f"{stage}-dropped.jsonl.gz",
                               stage=stage, source="fuzz", step=step).to_dict()
        check_balance(numbers)
        outcome[f"{stage} kept"] += numbers["documents"]["kept"]
        previous = shard
    numbers = stats.to_dict()
    check_balance(numbers)
    outcome["extract documents"] += numbers["documents"]["kept"]
    outcome["extract set aside"] += sum(numbers["documents"]["dropped"].values())
    return outcome


@dataclass
class Report:
    cases: int = 0
    outcomes: Counter = field(default_factory=Counter)
    crashes: list = field(default_factory=list)  # (seed, case number, seed file, traceback)
    slowest: tuple = (0.0, None)  # (seconds, (case number, seed file))


def fuzz(seeds: list[Seed], cases: int, seed: int, workdir: Path) -> Report:
    """``cases`` mutated files, case ``i`` with ``random.Random(f"{seed}/{i}")`` (replayable alone)."""
    report = Report()
    for i in range(cases):
        rng = random.Random(f"{seed}/{i}")
        original = seeds[rng.randrange(len(seeds))]
        data = mutate_file(rng, original.kind, original.name, original.data)
        start = time.perf_counter()
        try:
            report.outcomes += run_case(original, data, workdir / str(i))
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
    return json.dumps({"cases": report.cases, "outcomes": report.outcomes, "crashes": report.crashes,
                       "slowest": report.slowest}, indent=1)
