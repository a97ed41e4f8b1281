# Rule glue for results_table: the per-seed evaluation records -> the paper table
# (CSV in long form, Markdown and LaTeX in the paper's wide form).
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import tables
from smie.evaluate import results
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    records = [json.loads(Path(p).read_text()) for p in snakemake.input]
    rows = results.summarise(records)
    tables.write_csv(rows, snakemake.output.csv, results.LONG_COLUMNS)
    grid = results.grid(rows, snakemake.params.tasks, snakemake.params.models)
    note = results.footer(snakemake.params.config_hash, max(r["seeds"] for r in rows))
    Path(snakemake.output.md).write_text(results.markdown(grid, note), encoding="utf-8")
    Path(snakemake.output.tex).write_text(results.latex(grid, note), encoding="utf-8")
    Path(snakemake.output.html).write_text(results.html(grid, note), encoding="utf-8")
