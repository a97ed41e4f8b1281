# bert: pretraining data per shard and sequence length, then one pretraining job
# per model and phase, each exported as a Hugging Face directory
# results/bert/<model>/phase<N>/; the last phase is the model. Checkpoints live in
# checkpoints/bert/<model>/phase<N>/, beside the outputs, so that a job killed at
# its walltime (or by anything else) resumes when rerun. See smie/bert/.


rule bert_data:
    input:
        sentences="results/udpipe/{source}/{shard}.sentences.txt.gz",
        tokenizer="results/vocab/wordpiece/{vocab}/tokenizer.json",
    output:
        ids=f"{BERT_DATA}/{{source}}/{{shard}}.ids.npy",
        nsp=f"{BERT_DATA}/{{source}}/{{shard}}.nsp.npy",
        stats=f"{BERT_DATA}/{{source}}/{{shard}}.json",
    log:
        "logs/bert/data/{vocab}/seq{length}-{task}/{source}/{shard}.log",
    benchmark:
        "benchmarks/bert/data/{vocab}/seq{length}-{task}/{source}/{shard}.tsv"
    wildcard_constraints:
        length=r"\d+",
        task="nsp|mlm",
    conda:
        "../envs/pretrain.yaml"
    threads: 2
    resources:
        # the shard's token ids and sequences in memory: ~40 bytes per word, measured
        mem_mb=lambda wildcards, input, attempt: int(max(1000, 80 * input.size_mb)) * attempt,
    params:
        settings=CONFIG.bert_data(),
    script:
        "../scripts/bert_data.py"


rule bert_data_index:
    input:
        ids=lambda w: bert_data_shards(w, "ids.npy"),
        nsp=lambda w: bert_data_shards(w, "nsp.npy"),
        stats=lambda w: bert_data_shards(w, "json"),
    output:
        f"{BERT_DATA}/index.json",
    log:
        "logs/bert/data/{vocab}/seq{length}-{task}/index.log",
    wildcard_constraints:
        length=r"\d+",
        task="nsp|mlm",
    localrule: True
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/bert_data_index.py"


rule pretrain_bert:
    input:
        data=lambda w: f"{bert_data_dir(w.model, w.phase)}/index.json",
        tokenizer=lambda w: f"results/vocab/wordpiece/{BERT_MODELS[w.model]['vocab']}/tokenizer.json",
        init=lambda w: [f"results/bert/{w.model}/phase{int(w.phase) - 1}/model.safetensors"] if int(w.phase) > 1 else [],
    output:
        [f"results/bert/{{model}}/phase{{phase}}/{f}" for f in BERT_EXPORT],
    log:
        "logs/bert/{model}/phase{phase}.log",
    benchmark:
        "benchmarks/bert/{model}/phase{phase}.tsv"
    wildcard_constraints:
        model=BERT_NAMES,
        phase=r"\d+",
    conda:
        "../envs/pretrain.yaml"
    threads: pretrain_threads("bert")
    resources:
        **pretrain_resources("bert"),
    params:
        launcher=lambda w, resources: torch_launcher(resources.gpu),
        script=os.path.join(workflow.basedir, "scripts", "pretrain_bert.py"),
        # what the phase's model depends on, compared by Snakemake's params trigger
        settings=lambda w: json.dumps(CONFIG.bert_phase(w.model, w.phase)),
        # where it reads and writes, and how it runs: not compared
        job=lambda w, input, output, threads: json.dumps(
            {
                "runtime": CONFIG.model_runtime("bert", w.model),
                "data": input.data,
                "tokenizer": os.path.dirname(input.tokenizer),
                "init": os.path.dirname(input.init[0]) if input.init else None,
                "out": os.path.dirname(output[0]),
                "checkpoints": f"checkpoints/bert/{w.model}/phase{w.phase}",
                "threads": threads,
            }
        ),
    shell:
        "{params.launcher} {params.script:q} --settings {params.settings:q} --job {params.job:q} --log {log:q} > {log} 2>&1"


rule bert_loss_plot:
    input:
        [f"{bert_final(n)}/training.jsonl" for n in BERT_MODELS],
    output:
        report("results/plots/bert_loss.png", caption="../report/bert_loss.rst", category="Pretraining"),
    log:
        "logs/plots/bert_loss.log",
    localrule: True
    conda:
        "../envs/pretrain.yaml"
    params:
        names=list(BERT_MODELS),
        key="mlm_loss",
        label="MLM loss (training)",
    script:
        "../scripts/plot_training.py"


rule bert:
    """Stage target: every configured BERT model, pretrained through its last phase and exported, and its loss curve."""
    input:
        [f"{bert_final(n)}/{f}" for n in BERT_MODELS for f in BERT_EXPORT],
        rules.bert_loss_plot.output,
