# Rule glue for results_table: the per-seed evaluation records -> the paper table
# (CSV one row per task and model, Markdown, LaTeX and HTML in the paper's wide form).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import tables
from smie.evaluate import results
from smie.provenance import provenance
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    summary = results.summarise(results.load_records(list(snakemake.input)))
    note = provenance(snakemake.params.config_hash, snakemake.params.commit)
    table = results.table(summary, snakemake.params.tasks, snakemake.params.models, note)
    out = snakemake.output
    tables.write(table, csv=out.csv, md=out.md, tex=out.tex, html=out.html)
