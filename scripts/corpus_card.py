# Rule glue for corpus_card: every stage's stats -> the deduplicated corpus's README.md (smie/cards.py).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie import cards, stats
from smie.rules import rule_log

with rule_log(snakemake.log[0]):
    facts = {"cards": snakemake.params.cards, "counts": cards.corpus_counts([stats.load(p) for p in snakemake.input])}
    Path(snakemake.output[0]).write_text(cards.corpus_card(facts), encoding="utf-8")
