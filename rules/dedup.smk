# dedup: exact and near duplicates across all sources, in three steps that scale
# by shards: signatures per shard (parallel), one global clustering over the
# compact signatures only, then a filter per shard (parallel). With dedup.near false
# the signatures hold no MinHash and only exact duplicates are found.


rule dedup_signatures:
    input:
        "results/langid/{source}/{shard}.jsonl.gz",
    output:
        "results/dedup/signatures/{source}/{shard}.npz",
    log:
        "logs/dedup/signatures/{source}/{shard}.log",
    benchmark:
        "benchmarks/dedup/signatures/{source}/{shard}.tsv"
    conda:
        "../envs/corpus.yaml"
    params:
        settings=CONFIG.dedup_signatures(),
    script:
        "../scripts/dedup_signatures.py"


rule dedup_find:
    input:
        per_shard("results/dedup/signatures/{source}/{shard}.npz"),
    output:
        "results/dedup/duplicates.jsonl.gz",
    log:
        "logs/dedup/find.log",
    benchmark:
        "benchmarks/dedup/find.tsv"
    conda:
        "../envs/corpus.yaml"
    resources:
        # All signatures are held at once (about 1 KB per document): memory grows
        # with the number of documents, never with the text.
        mem_mb=lambda wildcards, input, attempt: int(3 * input.size_mb + 2000) * attempt,
    params:
        # source_priority only decides which copy is kept: the signatures stay
        settings=CONFIG.dedup_find(),
    script:
        "../scripts/dedup_find.py"


rule dedup_shard:
    input:
        docs="results/langid/{source}/{shard}.jsonl.gz",
        duplicates="results/dedup/duplicates.jsonl.gz",
    output:
        docs="results/dedup/{source}/{shard}.jsonl.gz",
        stats="results/dedup/{source}/{shard}.stats.json",
        dropped="results/dedup/{source}/{shard}.dropped.jsonl.gz",
    log:
        "logs/dedup/{source}/{shard}.log",
    benchmark:
        "benchmarks/dedup/filter/{source}/{shard}.tsv"
    conda:
        "../envs/corpus.yaml"
    params:
        stage="dedup",
        audit=runtime(CONFIG.audit()),
    script:
        "../scripts/filter_shard.py"


rule dedup:
    """Stage target: the deduplicated corpus."""
    input:
        stage_outputs("dedup"),
