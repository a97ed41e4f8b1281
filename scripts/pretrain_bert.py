"""Pretrain one phase of one BERT model (the pretrain_bert rule runs it, under torchrun on several GPUs).

    python scripts/pretrain_bert.py --settings '{"model": ..., "settings": {...}, "phase": 1,
        "phase_settings": {...}, "size": {...}}' --job '{"runtime": {...}, "data": ..., ...}'

--settings is what the phase's model depends on (smie.config.Config.bert_phase);
--job is where it reads and writes and how it runs (see rules/bert.smk).
Progress and errors go to stderr (the rule sends them to its log).
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smie.bert.model import Size
from smie.bert.train import ModelSettings, Phase, pretrain_phase
from smie.documents import InputError
from smie.rules import keep_attempts
from smie.settings import from_config

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--settings", required=True, help="what the model depends on, as JSON")
parser.add_argument("--job", required=True, help="paths, threads and runtime settings, as JSON")
parser.add_argument("--log", help="the log that stderr goes to: every attempt is also appended beside it")
args = parser.parse_args()
if args.log:
    keep_attempts(args.log)
spec, job = json.loads(args.settings), json.loads(args.job)
name, number = spec["model"], spec["phase"]
try:
    pretrain_phase(
        ModelSettings.from_dict({**spec["settings"], **job.get("runtime", {})}, name), Size(**spec["size"]),
        from_config(Phase, spec["phase_settings"], f"bert.models.{name}.phases[{number - 1}]"), number - 1,
        data_index=Path(job["data"]), tokenizer_dir=Path(job["tokenizer"]),
        init=Path(job["init"]) if job["init"] else None, out_dir=Path(job["out"]),
        checkpoint_dir=Path(job["checkpoints"]), threads=job["threads"], log=sys.stderr)
except InputError as error:
    print(f"smie: error: {error}", file=sys.stderr)
    sys.exit(1)
