# evaluate: every pretrained model (each BERT's last phase, each ELMo export) and
# every baseline on every task, one job per seed, then the paper table with score
# and minutes. BERTs are fine-tuned, ELMos stay frozen under a small trained model.
# See smie/evaluate/.


rule download_eval_file:
    output:
        "resources/eval/{task}/{filename}",
    log:
        "logs/download/eval/{task}/{filename}.log",
    wildcard_constraints:
        task=EVAL_TASK_NAMES,
    localrule: True
    conda:
        "../envs/corpus.yaml"
    params:
        spec=lambda w: CONFIG.eval_file_spec(w.task, w.filename),
        settings=runtime(CONFIG.download_runtime()),
        # read in the task's format once downloaded: a malformed file fails here, not
        # after the pretraining
        check=runtime(lambda w: CONFIG.task(w.task)),
    script:
        "../scripts/download.py"


rule evaluate_model:
    input:
        model=lambda w: model_inputs(w.model),
        train=lambda w: eval_file(w.task, "train"),
        dev=lambda w: eval_file(w.task, "dev"),
        test=lambda w: eval_file(w.task, "test"),
    output:
        "results/evaluate/{task}/{model}/seed{seed}.json",
    log:
        "logs/evaluate/{task}/{model}/seed{seed}.log",
    benchmark:
        "benchmarks/evaluate/{task}/{model}/seed{seed}.tsv"
    wildcard_constraints:
        task=EVAL_TASK_NAMES,
        model=EVAL_MODEL_NAMES,
        seed=r"\d+",
    conda:
        "../envs/pretrain.yaml"
    threads: max(1, EVAL_RESOURCES["gpu"]) * EVAL_RESOURCES["cpus_per_gpu"]
    resources:
        gpu=EVAL_RESOURCES["gpu"],
        mem_mb=lambda w, attempt: EVAL_RESOURCES["mem_mb"] * attempt,
        runtime=EVAL_RESOURCES["runtime"],
    params:
        settings=lambda w: CONFIG.evaluate(w.task, w.model),
    script:
        "../scripts/evaluate_model.py"


rule results_table:
    input:
        evaluation_records(),
    output:
        **table_outputs("results", "../report/results.rst", "Results", "paper table"),
    log:
        "logs/tables/results.log",
    localrule: True
    conda:
        "../envs/tables.yaml"
    params:
        tasks=list(EVAL_TASKS),
        models=list(EVAL_MODELS),
        config_hash=CONFIG.table_hash("results"),
        commit=table_commit(),
    script:
        "../scripts/results_table.py"


rule evaluate:
    """Stage target: every model on every task and seed, and the results table."""
    input:
        rules.results_table.output,


rule tables:
    """Stage target: every table of the run, corpus to results."""
    input:
        rules.funnel_table.output,
        rules.language_table.output,
        rules.corpus_statistics.output,
        rules.vocab_table.output,
        rules.results_table.output,
