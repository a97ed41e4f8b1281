# Rule glue for funnel_table, language_table and corpus_statistics: stats files -> CSV and Markdown.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import stats, tables
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    rule = snakemake.rule
    # udpipe's counts have no filter balance to check; the filters' stats do
    load = (lambda p: json.loads(Path(p).read_text())) if rule == "corpus_statistics" else stats.load
    loaded = [load(p) for p in snakemake.input]
    formats = None
    if rule == "corpus_statistics":
        rows, columns = tables.corpus_rows(loaded), tables.CORPUS_COLUMNS
    elif rule == "funnel_table":
        rows, columns = tables.funnel_rows(loaded, snakemake.params.stages), tables.FUNNEL_COLUMNS
    else:
        rows, columns, formats = tables.language_rows(loaded), tables.LANGUAGE_COLUMNS, tables.LANGUAGE_FORMATS
    tables.write_csv(rows, snakemake.output.csv, columns)
    note = tables.provenance(snakemake.params.config_hash)
    Path(snakemake.output.md).write_text(tables.markdown(rows, columns, formats, note))
