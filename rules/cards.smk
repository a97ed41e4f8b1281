# cards: README.md files the Hugging Face Hub reads, written into the directories they
# describe, so that uploading a directory as it is (`huggingface-cli upload <repo>
# results/bert/<model>/phase<N>`) publishes the model with its card. pretrain_bert and
# pretrain_elmo declare their files one by one, so these rules may add README.md beside
# them. A model's card waits for its evaluation when tasks are configured; pretraining
# never waits for a card. See smie/cards.py.


rule bert_card:
    input:
        model=lambda w: [f"results/bert/{w.model}/phase{w.phase}/{f}" for f in BERT_EXPORT],
        stats=corpus_stats(["dedup"]),
        # the last phase is the model: its card has the scores
        scores=lambda w: evaluation_records([w.model]) if int(w.phase) == CONFIG.bert_phases(w.model) else [],
    output:
        "results/bert/{model}/phase{phase}/README.md",
    log:
        "logs/cards/bert/{model}/phase{phase}.log",
    wildcard_constraints:
        model=BERT_NAMES,
        phase=r"\d+",
    localrule: True
    conda:
        "../envs/pretrain.yaml"
    params:
        settings=lambda w: CONFIG.bert_card(w.model, w.phase),
    script:
        "../scripts/bert_card.py"


rule elmo_card:
    input:
        model=lambda w: [f"results/elmo/{w.model}/{f}" for f in ELMO_EXPORT],
        stats=corpus_stats(["dedup"]),
        scores=lambda w: evaluation_records([w.model]),
    output:
        "results/elmo/{model}/README.md",
    log:
        "logs/cards/elmo/{model}.log",
    wildcard_constraints:
        model=ELMO_MODEL_NAMES,
    localrule: True
    conda:
        "../envs/pretrain.yaml"
    params:
        settings=lambda w: CONFIG.elmo_card(w.model),
    script:
        "../scripts/elmo_card.py"


rule corpus_card:
    input:
        corpus_stats(["clean", "langid", "dedup"]),
    output:
        "results/dedup/README.md",
    log:
        "logs/cards/corpus.log",
    localrule: True
    conda:
        "../envs/pretrain.yaml"
    params:
        cards=CONFIG.cards(),
    script:
        "../scripts/corpus_card.py"


rule cards:
    """Stage target: the card of every model export and of the corpus."""
    input:
        card_paths(),
