# clean: normalise every document and drop or trim what is not running text.


rule clean_shard:
    input:
        "results/extract/{source}/{shard}.jsonl.gz",
    output:
        docs="results/clean/{source}/{shard}.jsonl.gz",
        stats="results/clean/{source}/{shard}.stats.json",
        dropped="results/clean/{source}/{shard}.dropped.jsonl.gz",
    log:
        "logs/clean/{source}/{shard}.log",
    benchmark:
        "benchmarks/clean/{source}/{shard}.tsv"
    conda:
        "../envs/corpus.yaml"
    params:
        stage="clean",
        settings=CONFIG.clean(),
        audit=runtime(CONFIG.audit()),
    script:
        "../scripts/filter_shard.py"


rule clean:
    """Stage target: every shard of every source cleaned."""
    input:
        stage_outputs("clean"),
