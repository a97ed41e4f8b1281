# vocab: WordPiece vocabularies for BERT (from the udpipe `sentences` corpus), word
# vocabularies for ELMo (from `tokens` or `lemmas`), and one table of both.
# See smie/vocab.py for the id layout, the held-out split and the token count.
VOCAB = CONFIG.vocab
WORDPIECE_NAMES = names_of(VOCAB["wordpiece"])
ELMO_NAMES = names_of(VOCAB["elmo"])
WORDPIECE_FILES = ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "heldout.json"]
# Per-shard counts of a vocabulary's corpus: {corpus} is filled in per vocabulary.
COUNTS = "results/vocab/counts/{corpus}/{{source}}/{{shard}}"


rule train_wordpiece:
    input:
        udpipe_outputs("sentences"),
    output:
        vocab="results/vocab/wordpiece/{name}/vocab.txt",
        tokenizer="results/vocab/wordpiece/{name}/tokenizer.json",
        config="results/vocab/wordpiece/{name}/tokenizer_config.json",
        special="results/vocab/wordpiece/{name}/special_tokens_map.json",
        report="results/vocab/wordpiece/{name}/heldout.json",
    log:
        "logs/vocab/wordpiece/{name}.log",
    benchmark:
        "benchmarks/vocab/wordpiece/{name}.tsv"
    wildcard_constraints:
        name=WORDPIECE_NAMES,
    conda:
        "../envs/text.yaml"
    threads: 8
    resources:
        # The trainer's word and pair tables take about 1 KB per word type
        # (measured): tens of millions of types in a web-scale corpus, a few MB
        # for the demo. A site profile can set it outright (set-resources).
        mem_mb=lambda wildcards, input, attempt: int(min(64000, max(2000, 8 * input.size_mb))) * attempt,
        runtime=24 * 60,
    params:
        settings=lambda wildcards: CONFIG.wordpiece(wildcards.name),
    script:
        "../scripts/train_wordpiece.py"


rule count_words:
    input:
        "results/udpipe/{source}/{shard}.{corpus}.txt.gz",
    output:
        counts="results/vocab/counts/{corpus}/{source}/{shard}.tsv.gz",
        stats="results/vocab/counts/{corpus}/{source}/{shard}.json",
    log:
        "logs/vocab/counts/{corpus}/{source}/{shard}.log",
    benchmark:
        "benchmarks/vocab/counts/{corpus}/{source}/{shard}.tsv"
    wildcard_constraints:
        corpus="tokens|lemmas",
    conda:
        "../envs/text.yaml"
    script:
        "../scripts/count_words.py"


rule elmo_vocab:
    input:
        counts=lambda wildcards: per_shard(COUNTS.format(corpus=VOCAB["elmo"][wildcards.name]["corpus"]) + ".tsv.gz"),
        stats=lambda wildcards: per_shard(COUNTS.format(corpus=VOCAB["elmo"][wildcards.name]["corpus"]) + ".json"),
    output:
        vocab="results/vocab/elmo/{name}/vocab.txt",
        stats="results/vocab/elmo/{name}/stats.json",
    log:
        "logs/vocab/elmo/{name}.log",
    benchmark:
        "benchmarks/vocab/elmo/{name}.tsv"
    wildcard_constraints:
        name=ELMO_NAMES,
    conda:
        "../envs/text.yaml"
    params:
        settings=lambda wildcards: CONFIG.elmo_vocab(wildcards.name),
    script:
        "../scripts/elmo_vocab.py"


rule vocab_table:
    input:
        wordpiece=[f"results/vocab/wordpiece/{n}/heldout.json" for n in VOCAB["wordpiece"]],
        elmo=[f"results/vocab/elmo/{n}/stats.json" for n in VOCAB["elmo"]],
    output:
        **table_outputs("vocab", "../report/vocab.rst", "Vocabulary", "vocabularies"),
    log:
        "logs/tables/vocab.log",
    localrule: True  # seconds of work on small files: not worth a queue wait
    conda:
        "../envs/tables.yaml"
    params:
        config_hash=CONFIG.table_hash("vocab"),
        commit=table_commit(),
    script:
        "../scripts/vocab_table.py"


rule vocab:
    """Stage target: every configured WordPiece and ELMo vocabulary, and their table."""
    input:
        [f"results/vocab/wordpiece/{n}/{f}" for n in VOCAB["wordpiece"] for f in WORDPIECE_FILES],
        [f"results/vocab/elmo/{n}/{f}" for n in VOCAB["elmo"] for f in ("vocab.txt", "stats.json")],
        rules.vocab_table.output,
