# Rule glue for funnel_table, language_table and corpus_statistics: stats files ->
# the table as CSV, Markdown, LaTeX and HTML (and the funnel and language plots).
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import stats, tables
from smie.discriminator import summary
from smie.provenance import provenance
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    rule, out = snakemake.rule, snakemake.output
    # udpipe's counts have no filter balance to check; the filters' stats do
    load = (lambda p: json.loads(Path(p).read_text())) if rule == "corpus_statistics" else stats.load
    loaded = [load(p) for p in snakemake.input.get("stats", snakemake.input)]
    note = provenance(snakemake.params.config_hash, snakemake.params.commit)
    for path in snakemake.input.get("discriminator", []):
        note += " " + summary(json.loads(Path(path).read_text())) + "."
    if rule == "corpus_statistics":
        table = tables.corpus_table(loaded, note)
    elif rule == "funnel_table":
        table = tables.funnel_table(loaded, snakemake.params.stages, note)
    else:
        table = tables.language_table(loaded, note)
    tables.write(table, csv=out.csv, md=out.md, tex=out.tex, html=out.html)
    if rule != "corpus_statistics":
        from smie import plots

        if rule == "funnel_table":
            plots.funnel(table.frame, out.png, snakemake.params.stages)
        else:
            plots.languages(table.frame, out.png)
