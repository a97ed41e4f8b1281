# cards: README.md files the Hugging Face Hub reads, written into the directories they
# describe, so that uploading a directory as it is (`huggingface-cli upload <repo>
# results/bert/<model>/phase<N>`) publishes the model with its card. pretrain_bert and
# pretrain_elmo declare their files one by one, so these rules may add README.md beside
# them. A model's card waits for its evaluation when tasks are configured; pretraining
# never waits for a card. See smie/cards.py.


def corpus_stats(stages):
    """Every source's extract stats and its shards' stats of ``stages``."""
    return [f"results/extract/{s}/stats.json" for s in SOURCES] + [
        f for stage in stages for f in per_shard(f"results/{stage}/{{source}}/{{shard}}.stats.json")]


def model_scores(model):
    """A pretrained model's evaluation records (none without evaluation tasks)."""
    return [f"results/evaluate/{task}/{model}/seed{seed}.json" for task in EVAL_TASKS for seed in CONFIG.seeds()]


def card_paths():
    bert = [f"results/bert/{m}/phase{p}/README.md" for m in BERT_MODELS for p in range(1, CONFIG.bert_phases(m) + 1)]
    return bert + [f"results/elmo/{m}/README.md" for m in ELMO_MODELS] + ["results/dedup/README.md"]


rule bert_card:
    input:
        model=lambda w: [f"results/bert/{w.model}/phase{w.phase}/{f}" for f in BERT_EXPORT],
        stats=corpus_stats(["dedup"]),
        # the last phase is the model: its card has the scores
        scores=lambda w: model_scores(w.model) if int(w.phase) == CONFIG.bert_phases(w.model) else [],
    output:
        "results/bert/{model}/phase{phase}/README.md",
    wildcard_constraints:
        model=BERT_NAMES,
        phase=r"\d+",
    params:
        settings=lambda w: CONFIG.bert_card(w.model, w.phase),
    localrule: True
    log:
        "logs/cards/bert/{model}/phase{phase}.log",
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/bert_card.py"


rule elmo_card:
    input:
        model=lambda w: [f"results/elmo/{w.model}/{f}" for f in ELMO_EXPORT],
        stats=corpus_stats(["dedup"]),
        scores=lambda w: model_scores(w.model),
    output:
        "results/elmo/{model}/README.md",
    wildcard_constraints:
        model=ELMO_MODEL_NAMES,
    params:
        settings=lambda w: CONFIG.elmo_card(w.model),
    localrule: True
    log:
        "logs/cards/elmo/{model}.log",
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/elmo_card.py"


rule corpus_card:
    input:
        corpus_stats(["clean", "langid", "dedup"]),
    output:
        "results/dedup/README.md",
    params:
        cards=CONFIG.cards(),
    localrule: True
    log:
        "logs/cards/corpus.log",
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/corpus_card.py"


rule cards:
    """Stage target: the card of every model export and of the corpus."""
    input:
        card_paths(),
