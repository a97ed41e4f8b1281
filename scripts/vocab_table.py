# Rule glue for vocab_table: the WordPiece held-out reports and ELMo stats ->
# one table of all vocabularies, CSV and Markdown.
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import tables, vocab
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    def load(paths):
        return [json.loads(Path(p).read_text()) for p in paths]

    rows = vocab.vocab_rows(load(snakemake.input.wordpiece), load(snakemake.input.elmo))
    tables.write_csv(rows, snakemake.output.csv, vocab.VOCAB_COLUMNS)
    note = tables.provenance(snakemake.params.config_hash)
    Path(snakemake.output.md).write_text(tables.markdown(rows, vocab.VOCAB_COLUMNS, vocab.VOCAB_FORMATS, note))
