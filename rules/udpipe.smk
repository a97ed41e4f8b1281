# udpipe: every kept document -> sentences, tokens and lemmas (aligned, one sentence
# per line, a blank line between documents), with its language's UDPipe model.


rule download_udpipe_model:
    output:
        "resources/udpipe/{filename}",
    log:
        "logs/download/udpipe/{filename}.log",
    localrule: True
    conda:
        "../envs/corpus.yaml"
    params:
        spec=lambda w: CONFIG.udpipe_model_spec(w.filename),
        settings=runtime(CONFIG.download_runtime()),
        check=None,
    script:
        "../scripts/download.py"


rule train_udpipe:
    input:
        train=lambda w: CONFIG.treebank(w.name, "treebank"),
        heldout=lambda w: CONFIG.treebank(w.name, "heldout"),
    output:
        "results/udpipe/models/{name}.udpipe",
    log:
        "logs/udpipe/train/{name}.log",
    benchmark:
        "benchmarks/udpipe/train/{name}.tsv"
    conda:
        "../envs/text.yaml"
    params:
        spec=lambda w: CONFIG.udpipe_training(w.name),
    script:
        "../scripts/train_udpipe.py"


rule udpipe_shard:
    input:
        docs="results/dedup/{source}/{shard}.jsonl.gz",
        models=list(UDPIPE_MODELS.values()),
    output:
        **udpipe_shard_outputs(),
    log:
        "logs/udpipe/{source}/{shard}.log",
    benchmark:
        "benchmarks/udpipe/{source}/{shard}.tsv"
    conda:
        "../envs/text.yaml"
    threads: CONFIG.udpipe_threads()
    params:
        # which model each language takes (the files are inputs: a new one reruns)
        models=UDPIPE_MODELS,
    script:
        "../scripts/udpipe_shard.py"


rule corpus_statistics:
    input:
        per_shard("results/udpipe/{source}/{shard}.stats.json"),
    output:
        **table_outputs("corpus_stats", "../report/corpus_stats.rst", "Corpus", "corpus statistics"),
    log:
        "logs/tables/corpus_stats.log",
    localrule: True  # seconds of work on small files: not worth a queue wait
    conda:
        "../envs/tables.yaml"
    params:
        config_hash=CONFIG.table_hash("udpipe"),
        commit=table_commit(),
    script:
        "../scripts/corpus_tables.py"


rule udpipe:
    """Stage target: the three aligned corpora of every shard, and their statistics."""
    input:
        [p for kind in UDPIPE_KINDS for p in udpipe_outputs(kind)],
        rules.corpus_statistics.output,
