"""Words per second of the udpipe stage, against calling ufal.udpipe directly.

Documents of 5-30 real Norwegian sentences (bench/real_text.py, Bokmål only so
one model serves) are written as one smie shard. Then, each in a fresh process:

- direct: ufal.udpipe's Pipeline (tokenize + tag, CoNLL-U out) on every document,
  reading nothing and writing nothing: the floor any wrapper is measured against;
- smie, 1 process: smie.udpipe.annotate_shard as the udpipe_shard rule runs it
  (read the shard, annotate, write sentences/tokens/lemmas gzip);
- smie, 2 processes: the same with ``threads: 2``.

    .venv/bin/python bench/udpipe_throughput.py --model MODEL.udpipe [--docs 2000]

MODEL: e.g. the NDT Bokmål model bench/udpipe_ndt.py trains
(/tmp/smie-udpipe-ndt/results/udpipe/models/ndt-nb.udpipe), the official UD
model, or any UDPipe 1 model.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from make_corpus import draw_paragraphs  # noqa: E402
from real_text import norwegian_sentences  # noqa: E402
from smie.documents import Document, open_gzip_writer, read_documents, word_count  # noqa: E402


def write_documents(path: Path, n: int, seed: int = 0) -> int:
    sentences = [t for t, lang in norwegian_sentences() if lang == "nb"]
    rng = random.Random(seed)
    words = 0
    with open_gzip_writer(path) as f:
        for i in range(n):
            text = "\n".join(" ".join(p) for p in draw_paragraphs(rng, sentences))
            doc = Document(id=f"bench/{i}", source="bench", lang="nb", text=text)
            words += word_count(doc.text)
            f.write(doc.to_json() + "\n")
    return words


def run_direct(shard: str, model_path: str) -> None:
    from ufal import udpipe

    model = udpipe.Model.load(model_path)
    pipeline = udpipe.Pipeline(model, "tokenize", udpipe.Pipeline.DEFAULT, udpipe.Pipeline.NONE, "conllu")
    for doc in read_documents(shard):
        pipeline.process("\n\n".join(doc.text.split("\n")))


def run_smie(shard: str, model_path: str, threads: int, out: str) -> None:
    from smie.udpipe import annotate_shard

    outputs = {kind: f"{out}.{kind}.txt.gz" for kind in ("sentences", "tokens", "lemmas")}
    annotate_shard(shard, outputs, {"nb": model_path}, source="bench", threads=threads)


def timed(mode: str, shard: Path, model: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB, of the largest single process) of one mode, in a fresh process."""
    code = (f"import sys; sys.path[:0] = [{str(REPO)!r}, {str(REPO / 'bench')!r}]\n"
            f"import udpipe_throughput as b, resource, time, json\n"
            f"t = time.perf_counter()\n"
            + (f"b.run_direct({str(shard)!r}, {str(model)!r})\n" if mode == "direct" else
               f"b.run_smie({str(shard)!r}, {str(model)!r}, {int(mode)}, {str(out)!r})\n")
            + "s = time.perf_counter() - t\n"
            "rss = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
            "print(json.dumps({'s': s, 'rss': rss / 1024}))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    return result["s"], result["rss"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args(argv)
    if not args.model.exists():
        raise SystemExit(f"no model at {args.model} (run bench/udpipe_ndt.py first, or pass --model)")
    with tempfile.TemporaryDirectory() as tmp:
        shard = Path(tmp) / "shard.jsonl.gz"
        words = write_documents(shard, args.docs)
        print(f"{args.docs:,} documents, {words:,} words, model {args.model.name}\n")
        print("| run | seconds | words/s | vs direct | peak RSS MB (one process) |")
        print("|---|---:|---:|---:|---:|")
        base = None
        for mode, label in (("direct", "ufal.udpipe Pipeline, 1 process"), ("1", "smie udpipe_shard, threads 1"),
                            ("2", "smie udpipe_shard, threads 2")):
            seconds, rss = timed(mode, shard, args.model, Path(tmp) / f"out{mode}")
            base = base or seconds
            print(f"| {label} | {seconds:.1f} | {words / seconds:,.0f} | {base / seconds:.2f}x | {rss:.0f} |")


if __name__ == "__main__":
    main()
