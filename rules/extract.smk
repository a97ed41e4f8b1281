# extract: raw files of a source -> documents in JSON Lines shards, with stats and
# the rejected records. One rule per source, because each source has its own
# number of shards and a rule's outputs cannot depend on a wildcard's value.

for _source in SOURCES:

    rule:
        name:
            f"extract_{_source}"
        input:
            get_extract_input(_source),
        output:
            shards=shard_paths("extract", _source),
            stats=f"results/extract/{_source}/stats.json",
            rejected=f"results/extract/{_source}/rejected.jsonl.gz",
        params:
            settings=CONFIG.extract(_source),
        resources:
            # One job reads the whole source: about 1 minute per 20 MB of (compressed)
            # input, three times the slowest reader's rate in bench/README.md.
            runtime=lambda wildcards, input, attempt: max(120, int(input.size_mb / 20)) * attempt,
        log:
            f"logs/extract/{_source}.log",
        benchmark:
            f"benchmarks/extract/{_source}.tsv"
        conda:
            "../envs/corpus.yaml"
        script:
            "../scripts/extract.py"


rule extract:
    """Stage target: every source extracted."""
    input:
        [path for source in SOURCES for path in extract_outputs(source)],

