# udpipe: every kept document -> sentences, tokens and lemmas (aligned, one sentence
# per line, a blank line between documents), with its language's UDPipe model.


rule download_udpipe_model:
    output:
        "resources/udpipe/{filename}",
    params:
        spec=lambda w: get_udpipe_model_spec(w.filename),
        auth_env=None,
        settings=config["download"],
    log:
        "logs/download/udpipe/{filename}.log",
    localrule: True
    conda:
        "../envs/corpus.yaml"
    script:
        "../scripts/download.py"


rule train_udpipe:
    input:
        train=lambda w: get_treebank(w.name, "treebank"),
        heldout=lambda w: get_treebank(w.name, "heldout"),
    output:
        "results/udpipe/models/{name}.udpipe",
    params:
        spec=lambda w: config["udpipe"]["train"][w.name],
    log:
        "logs/udpipe/train/{name}.log",
    benchmark:
        "benchmarks/udpipe/train/{name}.tsv"
    conda:
        "../envs/text.yaml"
    script:
        "../scripts/train_udpipe.py"


rule udpipe_shard:
    input:
        docs="results/dedup/{source}/{shard}.jsonl.gz",
        models=list(udpipe_models().values()),
    output:
        **udpipe_shard_outputs(),
    params:
        models=udpipe_models(),
    threads: config["udpipe"]["threads"]
    log:
        "logs/udpipe/{source}/{shard}.log",
    benchmark:
        "benchmarks/udpipe/{source}/{shard}.tsv"
    conda:
        "../envs/text.yaml"
    script:
        "../scripts/udpipe_shard.py"


rule corpus_statistics:
    input:
        per_shard("results/udpipe/{source}/{shard}.stats.json"),
    output:
        csv="results/tables/corpus_stats.csv",
        md="results/tables/corpus_stats.md",
    params:
        config_hash=config_hash(*CORPUS_SECTIONS),
    localrule: True  # seconds of work on small files: not worth a queue wait
    log:
        "logs/tables/corpus_stats.log",
    conda:
        "../envs/corpus.yaml"
    script:
        "../scripts/corpus_tables.py"


rule udpipe:
    """Stage target: the three aligned corpora of every shard, and their statistics."""
    input:
        [p for kind in UDPIPE_KINDS for p in udpipe_outputs(kind)],
        rules.corpus_statistics.output,
