"""Pretrain one phase of one BERT model (the pretrain_bert rule runs it, under torchrun on several GPUs).

    python scripts/pretrain_bert.py --spec '{"settings": {...}, "size": {...}, "phase": 0, ...}'

Progress and errors go to stderr (the rule sends them to its log).
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smie.bert.model import Size
from smie.bert.train import ModelSettings, pretrain_phase
from smie.documents import InputError

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--spec", required=True, help="the job as JSON (see rules/bert.smk)")
spec = json.loads(parser.parse_args().spec)
try:
    pretrain_phase(
        ModelSettings.from_dict(spec["settings"], spec["model"]), Size(**spec["size"]), spec["phase"],
        data_index=Path(spec["data"]), tokenizer_dir=Path(spec["tokenizer"]),
        init=Path(spec["init"]) if spec["init"] else None, out_dir=Path(spec["out"]),
        checkpoint_dir=Path(spec["checkpoints"]), threads=spec["threads"], log=sys.stderr)
except InputError as error:
    print(f"smie: error: {error}", file=sys.stderr)
    sys.exit(1)
