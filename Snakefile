# smie: raw text corpora -> pretrained language models and the tables of a paper.
#
#   snakemake --profile profiles/local                 the full run in config.yaml
#   snakemake --profile profiles/slurm                 the same on a Slurm cluster
#   snakemake --configfile demo/config.yaml -d demo/run --cores 2     the demo
import os
import sys

from snakemake.logging import logger
from snakemake.utils import min_version

from smie.config import ConfigError, load
from smie.report import front_page

min_version("9.0")


# The full run's config.yaml, unless --configfile names others: merged into it, it
# would give the demo the real sources. (Snakemake's --replace-workflow-config does
# the same on this machine, but 9.27 does not pass it on to the jobs it submits to a
# cluster, which would then read the merged config.)
if not workflow.configfiles:

    configfile: os.path.join(workflow.basedir, "config.yaml")


# The one config layer (smie/config.py): schema, defaults, paths relative to each
# config file, cross-key and pre-flight checks. An invalid config stops here, in one line.
try:
    CONFIG = load(config, workflow.configfiles, workflow.basedir)
    CONFIG.preflight()
except ConfigError as error:
    sys.exit(f"smie: {error}")

# Valid, but likely not what was meant (a language without boilerplate patterns): one
# line each on the console, from the main process only (every job on a cluster parses
# this file again).
if workflow.is_main_process:
    for warning in CONFIG.warnings():
        logger.warning(f"smie: warning: {warning}")


# The report's front page (report/workflow.rst) sees only the config: give it the
# configured languages' names. Added after the checks, so never validated as a key.
config["_report"] = front_page(CONFIG.languages)


report: "report/workflow.rst"


# Wildcards every stage shares.
wildcard_constraints:
    source="[A-Za-z][A-Za-z0-9_]*",
    filename="[^/]+",
    shard=r"\d{4}",
    name=r"[A-Za-z0-9][A-Za-z0-9_.-]*",


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
include: "rules/cards.smk"


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
        rules.cards.input,
