# smie: raw text corpora -> pretrained language models and the tables of a paper.
#
#   snakemake --profile profiles/local                 the full run in config.yaml
#   snakemake --profile profiles/slurm                 the same on a Slurm cluster
#   snakemake --configfile demo/config.yaml -d demo/run --cores 2     the demo
import os

from snakemake.utils import min_version, validate

min_version("9.0")


# The full run's config.yaml, unless --configfile names another: Snakemake would
# otherwise merge the two, and the demo would inherit the real sources.
if not workflow.overwrite_configfiles:

    configfile: os.path.join(workflow.basedir, "config.yaml")


validate(config, "schemas/config.schema.yaml")


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/download.smk"
include: "rules/extract.smk"
include: "rules/clean.smk"
include: "rules/langid.smk"
include: "rules/dedup.smk"
include: "rules/tables.smk"
include: "rules/udpipe.smk"
include: "rules/vocab.smk"
include: "rules/bert.smk"
include: "rules/elmo.smk"
include: "rules/evaluate.smk"


rule all:
    """Default target: every stage that exists, for every source."""
    default_target: True
    input:
        rules.corpus.input,
        rules.udpipe.input,
        rules.vocab.input,
        rules.bert.input,
        rules.elmo.input,
        rules.evaluate.input,
