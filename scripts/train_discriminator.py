# Rule glue for train_discriminator: see smie/discriminator.py.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import discriminator
from smie.rules import rule_log

training = snakemake.params.training

with rule_log(snakemake.log[0]) as log:
    files = {lang: [tuple(f) for f in inputs] for lang, inputs in training["files"].items()}
    settings = discriminator.Settings.from_dict(training["settings"])
    stats = discriminator.build(files, settings, training["keep"], snakemake.output.model)
    Path(snakemake.output.stats).write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    for lang, counts in stats["train"].items():
        print(f"{lang}: {counts['sentences']:,} training sentences, {counts['words']:,} words", file=log)
    print(discriminator.summary(stats), file=log)
