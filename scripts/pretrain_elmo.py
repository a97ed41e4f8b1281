"""Pretrain one ELMo model and export it (the pretrain_elmo rule runs it, under torchrun on several GPUs).

    python scripts/pretrain_elmo.py --settings '{"model": ..., "settings": {...}, "size": {...}}' \
        --job '{"runtime": {...}, "corpus": {...}, "vocab": ..., ...}'

--settings is what the model depends on (smie.config.Config.elmo_model); --job is
where it reads and writes and how it runs (see rules/elmo.smk). The corpus comes as
a pattern and the shards of each source, {"pattern":
"results/udpipe/{source}/{shard:04d}.tokens.txt.gz", "shards": {"nak": 64, ...}}:
thousands of paths would not fit in one command-line argument.

Progress and errors go to stderr (the rule sends them to its log).
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smie.documents import InputError
from smie.rules import keep_attempts
from smie.elmo.model import Size
from smie.elmo.train import ModelSettings, pretrain
from smie.settings import from_config

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--settings", required=True, help="what the model depends on, as JSON")
parser.add_argument("--job", required=True, help="paths, threads and runtime settings, as JSON")
parser.add_argument("--log", help="the log that stderr goes to: every attempt is also appended beside it")
parser.add_argument("--device", default="auto", help="auto (the process's GPU if any), cuda or cpu")
args = parser.parse_args()
if args.log:
    keep_attempts(args.log)
spec, job = json.loads(args.settings), json.loads(args.job)
try:
    settings = ModelSettings.from_dict({**spec["settings"], **job.get("runtime", {})}, spec["model"])
    size = from_config(Size, spec["size"], f"elmo.sizes.{settings.size}")
except (TypeError, ValueError) as error:  # a setting the schema let through but the model refuses
    print(f"smie: error: config: {error}", file=sys.stderr)
    sys.exit(1)
try:
    corpus = [Path(job["corpus"]["pattern"].format(source=source, shard=k))
              for source, n in job["corpus"]["shards"].items() for k in range(n)]
    pretrain(settings, size, corpus, Path(job["vocab"]), out_dir=Path(job["out"]),
             checkpoint_dir=Path(job["checkpoints"]), threads=job["threads"], log=sys.stderr, device=args.device)
except InputError as error:
    print(f"smie: error: {error}", file=sys.stderr)
    sys.exit(1)
