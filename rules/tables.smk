# tables: the corpus funnel (every source through every filtering stage) and the
# language distribution per source, as CSV, Markdown, LaTeX and HTML (with the config
# hash, package versions and commit), and as plots.

FUNNEL_STAGES = ["extract", "clean", "langid", "dedup"]


rule funnel_table:
    input:
        corpus_stats(FUNNEL_STAGES[1:]),
    output:
        **table_outputs("funnel", "../report/funnel.rst", "Corpus", "corpus funnel"),
        png=report(
            "results/plots/funnel.png",
            caption="../report/funnel.rst",
            category="Corpus",
            labels={"result": "corpus funnel (plot)"},
        ),
    log:
        "logs/tables/funnel.log",
    localrule: True  # seconds of work on small files: not worth a queue wait
    conda:
        "../envs/tables.yaml"
    params:
        stages=FUNNEL_STAGES,
        config_hash=CONFIG.table_hash("dedup"),
        commit=table_commit(),
    script:
        "../scripts/corpus_tables.py"


rule language_table:
    input:
        stats=per_shard("results/langid/{source}/{shard}.stats.json"),
        # the discriminator's held-out accuracy goes in the table's notes
        discriminator=discriminator_stats(),
    output:
        **table_outputs("languages", "../report/languages.rst", "Corpus", "languages"),
        png=report(
            "results/plots/languages.png",
            caption="../report/languages.rst",
            category="Corpus",
            labels={"result": "languages (plot)"},
        ),
    log:
        "logs/tables/languages.log",
    localrule: True  # seconds of work on small files: not worth a queue wait
    conda:
        "../envs/tables.yaml"
    params:
        config_hash=CONFIG.table_hash("languages"),
        commit=table_commit(),
    script:
        "../scripts/corpus_tables.py"


rule corpus:
    """Stage target: the deduplicated corpus and its tables."""
    input:
        rules.dedup.input,
        rules.funnel_table.output,
        rules.language_table.output,
