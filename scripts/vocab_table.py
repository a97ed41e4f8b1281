# Rule glue for vocab_table: the WordPiece held-out reports and ELMo stats -> one
# table of all vocabularies, as CSV, Markdown, LaTeX and HTML.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import tables, vocab
from smie.provenance import provenance
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    def load(paths):
        return [json.loads(Path(p).read_text()) for p in paths]

    note = provenance(snakemake.params.config_hash, snakemake.params.commit)
    table = vocab.vocab_table(load(snakemake.input.wordpiece), load(snakemake.input.elmo), note)
    out = snakemake.output
    tables.write(table, csv=out.csv, md=out.md, tex=out.tex, html=out.html)
