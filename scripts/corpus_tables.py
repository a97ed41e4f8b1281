# Rule glue for funnel_table, language_table and corpus_statistics: stats files -> CSV and Markdown.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import stats, tables
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    if snakemake.rule == "corpus_statistics":  # udpipe counts, not a filter's balance
        loaded = [json.loads(Path(p).read_text()) for p in snakemake.input]
        rows, columns = tables.corpus_rows(loaded), tables.CORPUS_COLUMNS
    elif snakemake.rule == "funnel_table":
        loaded = [stats.load(p) for p in snakemake.input]
        rows, columns = tables.funnel_rows(loaded, snakemake.params.stages), tables.FUNNEL_COLUMNS
    else:
        loaded = [stats.load(p) for p in snakemake.input]
        rows, columns = tables.language_rows(loaded), tables.LANGUAGE_COLUMNS
    tables.write_csv(rows, snakemake.output.csv, columns)
    Path(snakemake.output.md).write_text(tables.markdown(rows, columns))
