# tables: the corpus funnel (every source through every filtering stage) and the
# language distribution per source, as CSV, Markdown, LaTeX and HTML (with the config
# hash, package versions and commit), and as plots.

FUNNEL_STAGES = ["extract", "clean", "langid", "dedup"]


rule funnel_table:
    input:
        [f"results/extract/{s}/stats.json" for s in SOURCES],
        [p for stage in FUNNEL_STAGES[1:] for p in per_shard(f"results/{stage}/{{source}}/{{shard}}.stats.json")],
    output:
        **table_outputs("funnel", "../report/funnel.rst", "Corpus", "corpus funnel"),
        png=report("results/plots/funnel.png", caption="../report/funnel.rst", category="Corpus",
                   labels={"result": "corpus funnel (plot)"}),
    params:
        stages=FUNNEL_STAGES,
        config_hash=CONFIG.table_hash("dedup"),
        commit=table_commit(),
    localrule: True  # seconds of work on small files: not worth a queue wait
    log:
        "logs/tables/funnel.log",
    conda:
        "../envs/tables.yaml"
    script:
        "../scripts/corpus_tables.py"


rule language_table:
    input:
        per_shard("results/langid/{source}/{shard}.stats.json"),
    output:
        **table_outputs("languages", "../report/languages.rst", "Corpus", "languages"),
        png=report("results/plots/languages.png", caption="../report/languages.rst", category="Corpus",
                   labels={"result": "languages (plot)"}),
    params:
        config_hash=CONFIG.table_hash("languages"),
        commit=table_commit(),
    localrule: True  # seconds of work on small files: not worth a queue wait
    log:
        "logs/tables/languages.log",
    conda:
        "../envs/tables.yaml"
    script:
        "../scripts/corpus_tables.py"


rule corpus:
    """Stage target: the deduplicated corpus and its tables."""
    input:
        rules.dedup.input,
        rules.funnel_table.output,
        rules.language_table.output,
