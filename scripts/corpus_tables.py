# Rule glue for funnel_table and language_table: stats files -> CSV and Markdown.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import stats, tables
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    loaded = [stats.load(p) for p in snakemake.input]
    if snakemake.rule == "funnel_table":
        rows, columns = tables.funnel_rows(loaded, snakemake.params.stages), tables.FUNNEL_COLUMNS
    else:
        rows, columns = tables.language_rows(loaded), tables.LANGUAGE_COLUMNS
    tables.write_csv(rows, snakemake.output.csv, columns)
    Path(snakemake.output.md).write_text(tables.markdown(rows, columns))
