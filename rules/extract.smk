# extract: raw files of a source -> documents in JSON Lines shards, with stats and
# the rejected records. One rule per source, because each source has its own
# number of shards and a rule's outputs cannot depend on a wildcard's value.
# A source of several parts (files, or ranges of a multistream dump's streams) is
# read by one extract_<source>_part job per part, in parallel, and extract_<source>
# merges the parts' shards in part order: the same bytes as reading it whole.

# About 1 minute per 20 MB of (compressed) input, three times the slowest reader's
# rate in bench/README.md.
_read_runtime = lambda wildcards, input, attempt: max(120, int(input.size_mb / 20)) * attempt

for _source in SOURCES:
    _parts = CONFIG.extract_parts(_source)

    if len(_parts) == 1:

        rule:
            name:
                f"extract_{_source}"
            input:
                get_extract_input(_source),
            output:
                shards=shard_paths("extract", _source),
                stats=f"results/extract/{_source}/stats.json",
                rejected=f"results/extract/{_source}/rejected.jsonl.gz",
            log:
                f"logs/extract/{_source}.log",
            benchmark:
                f"benchmarks/extract/{_source}.tsv"
            conda:
                "../envs/corpus.yaml"
            resources:
                runtime=_read_runtime,
            params:
                settings=CONFIG.extract(_source),
            script:
                "../scripts/extract.py"

        continue

    rule:
        name:
            f"extract_{_source}_part"
        input:
            get_part_input(_source),
        output:
            **{k: temp(v) for k, v in extract_part_outputs(_source, "{part}").items()},
        log:
            f"logs/extract/{_source}/{{part}}.log",
        benchmark:
            f"benchmarks/extract/{_source}/{{part}}.tsv"
        wildcard_constraints:
            part=names_of(_parts),
        conda:
            "../envs/corpus.yaml"
        resources:
            runtime=_read_runtime,
        params:
            settings=lambda wildcards, source=_source: CONFIG.extract_part(source, wildcards.part),
        script:
            "../scripts/extract.py"

    rule:
        name:
            f"extract_{_source}"
        input:
            shards=[p for part in _parts for p in extract_part_outputs(_source, part)["shards"]],
            stats=[extract_part_outputs(_source, part)["stats"] for part in _parts],
            rejected=[extract_part_outputs(_source, part)["rejected"] for part in _parts],
        output:
            shards=shard_paths("extract", _source),
            stats=f"results/extract/{_source}/stats.json",
            rejected=f"results/extract/{_source}/rejected.jsonl.gz",
        log:
            f"logs/extract/{_source}.log",
        benchmark:
            f"benchmarks/extract/{_source}.tsv"
        conda:
            "../envs/corpus.yaml"
        resources:
            # decompressing and compressing again: about 20 MB/s
            runtime=lambda wildcards, input, attempt: max(30, int(input.size_mb / 300)) * attempt,
        script:
            "../scripts/merge_extract.py"


rule extract:
    """Stage target: every source extracted."""
    input:
        [path for source in SOURCES for path in extract_outputs(source)],
