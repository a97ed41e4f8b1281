# langid: label every document's language; keep the configured languages.


rule langid_shard:
    input:
        "results/clean/{source}/{shard}.jsonl.gz",
    output:
        docs="results/langid/{source}/{shard}.jsonl.gz",
        stats="results/langid/{source}/{shard}.stats.json",
        dropped="results/langid/{source}/{shard}.dropped.jsonl.gz",
    log:
        "logs/langid/{source}/{shard}.log",
    benchmark:
        "benchmarks/langid/{source}/{shard}.tsv"
    conda:
        "../envs/corpus.yaml"
    params:
        stage="langid",
        settings=CONFIG.langid(),
        audit=runtime(CONFIG.audit()),
    script:
        "../scripts/filter_shard.py"


rule langid:
    """Stage target: every shard of every source language-filtered."""
    input:
        stage_outputs("langid"),
