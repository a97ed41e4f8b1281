# Rule glue for summarize_*: the stats files of a stage -> one Markdown table.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import stats
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    table = stats.summary_markdown([stats.load(p) for p in snakemake.input])
    Path(snakemake.output[0]).write_text(table)
