# langid: label every document's language; keep the configured languages. Where
# polyglot confuses close languages or is unsure, the discriminator trained here decides
# (langid.second_opinion: discriminator).


rule download_langid_file:
    output:
        "resources/langid/{lang}/{filename}",
    log:
        "logs/download/langid/{lang}/{filename}.log",
    localrule: True
    conda:
        "../envs/corpus.yaml"
    params:
        spec=lambda w: CONFIG.discriminator_file_spec(w.lang, w.filename),
        settings=runtime(CONFIG.download_runtime()),
        check=None,
    script:
        "../scripts/download.py"


rule train_discriminator:
    input:
        discriminator_inputs(),
    output:
        model="results/discriminator/model.bin",
        stats="results/discriminator/stats.json",
    log:
        "logs/langid/train_discriminator.log",
    benchmark:
        "benchmarks/langid/train_discriminator.tsv"
    conda:
        "../envs/corpus.yaml"
    params:
        training=CONFIG.discriminator() if CONFIG.uses_discriminator() else None,
    script:
        "../scripts/train_discriminator.py"


rule langid_shard:
    input:
        unpack(langid_inputs),
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
