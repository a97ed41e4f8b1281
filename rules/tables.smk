# tables: the corpus funnel (every source through every filtering stage) and the
# language distribution per source, as CSV and Markdown (with the config hash and
# package versions in a footer).

FUNNEL_STAGES = ["extract", "clean", "langid", "dedup"]


rule funnel_table:
    input:
        [f"results/extract/{s}/stats.json" for s in SOURCES],
        [p for stage in FUNNEL_STAGES[1:] for p in per_shard(f"results/{stage}/{{source}}/{{shard}}.stats.json")],
    output:
        csv=report("results/tables/funnel.csv", caption="../report/funnel.rst", category="Corpus"),
        md="results/tables/funnel.md",
    params:
        stages=FUNNEL_STAGES,
        config_hash=CONFIG.table_hash("dedup"),
    localrule: True  # seconds of work on small files: not worth a queue wait
    log:
        "logs/tables/funnel.log",
    conda:
        "../envs/corpus.yaml"
    script:
        "../scripts/corpus_tables.py"


rule language_table:
    input:
        per_shard("results/langid/{source}/{shard}.stats.json"),
    output:
        csv=report("results/tables/languages.csv", caption="../report/languages.rst", category="Corpus"),
        md="results/tables/languages.md",
    params:
        config_hash=CONFIG.table_hash("languages"),
    localrule: True  # seconds of work on small files: not worth a queue wait
    log:
        "logs/tables/languages.log",
    conda:
        "../envs/corpus.yaml"
    script:
        "../scripts/corpus_tables.py"


rule corpus:
    """Stage target: the deduplicated corpus and its tables."""
    input:
        rules.dedup.input,
        rules.funnel_table.output,
        rules.language_table.output,
