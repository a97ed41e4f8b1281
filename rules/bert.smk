# bert: pretraining data per shard and sequence length, then one pretraining job
# per model and phase, each exported as a Hugging Face directory
# results/bert/<model>/phase<N>/; the last phase is the model. Checkpoints live in
# checkpoints/bert/<model>/phase<N>/, beside the outputs, so that a job killed at
# its walltime (or by anything else) resumes when rerun. See smie/bert/.
import json
import re

BERT = config["bert"]
BERT_NAMES = "|".join(map(re.escape, BERT["models"])) or "(?!)"
BERT_DATA = "results/bert/data/{vocab}/seq{length}-{task}"
BERT_EXPORT = ["config.json", "model.safetensors", "training.jsonl", "tokenizer.json", "vocab.txt"]


def bert_model(name):
    return BERT["models"][name]


def bert_phase(name, phase):
    """Settings of a model's phase, 1-based as in the paths."""
    phases = bert_model(name)["phases"]
    if not 1 <= int(phase) <= len(phases):
        raise ValueError(f"config: bert.models.{name} has {len(phases)} phases, not phase {phase}")
    return phases[int(phase) - 1]


def bert_data_dir(name, phase):
    s = bert_model(name)
    task = "nsp" if s["nsp"] else "mlm"
    return BERT_DATA.format(vocab=s["vocab"], length=bert_phase(name, phase)["seq_length"], task=task)


def bert_final(name):
    """The exported directory of a model's last phase."""
    return f"results/bert/{name}/phase{len(bert_model(name)['phases'])}"


def bert_gpus(wildcards):
    return bert_model(wildcards.model)["resources"]["gpu"]


def check_bert_models():
    for name, s in BERT["models"].items():
        if s["size"] not in BERT["sizes"]:
            raise ValueError(f"config: bert.models.{name}.size {s['size']!r} is not in bert.sizes")
        if s["vocab"] not in config["vocab"]["wordpiece"]:
            raise ValueError(f"config: bert.models.{name}.vocab {s['vocab']!r} is not in vocab.wordpiece")


check_bert_models()


rule bert_data:
    input:
        sentences="results/udpipe/{source}/{shard}.sentences.txt.gz",
        tokenizer="results/vocab/wordpiece/{vocab}/tokenizer.json",
    output:
        ids=BERT_DATA + "/{source}/{shard}.ids.npy",
        nsp=BERT_DATA + "/{source}/{shard}.nsp.npy",
        stats=BERT_DATA + "/{source}/{shard}.json",
    wildcard_constraints:
        length=r"\d+",
        task="nsp|mlm",
    params:
        settings=BERT["data"],
    threads: 2
    resources:
        # the shard's token ids and sequences in memory: ~40 bytes per word, measured
        mem_mb=lambda wildcards, input, attempt: int(max(1000, 80 * input.size_mb)) * attempt,
    log:
        "logs/bert/data/{vocab}/seq{length}-{task}/{source}/{shard}.log",
    benchmark:
        "benchmarks/bert/data/{vocab}/seq{length}-{task}/{source}/{shard}.tsv"
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/bert_data.py"


rule bert_data_index:
    input:
        ids=lambda w: per_shard(BERT_DATA.format(**w) + "/{source}/{shard}.ids.npy"),
        nsp=lambda w: per_shard(BERT_DATA.format(**w) + "/{source}/{shard}.nsp.npy"),
        stats=lambda w: per_shard(BERT_DATA.format(**w) + "/{source}/{shard}.json"),
    output:
        BERT_DATA + "/index.json",
    wildcard_constraints:
        length=r"\d+",
        task="nsp|mlm",
    localrule: True
    log:
        "logs/bert/data/{vocab}/seq{length}-{task}/index.log",
    script:
        "../scripts/bert_data_index.py"


rule pretrain_bert:
    input:
        data=lambda w: bert_data_dir(w.model, w.phase) + "/index.json",
        tokenizer=lambda w: f"results/vocab/wordpiece/{bert_model(w.model)['vocab']}/tokenizer.json",
        init=lambda w: [f"results/bert/{w.model}/phase{int(w.phase) - 1}/model.safetensors"] if int(w.phase) > 1 else [],
    output:
        [f"results/bert/{{model}}/phase{{phase}}/{f}" for f in BERT_EXPORT],
    wildcard_constraints:
        model=BERT_NAMES,
        phase=r"\d+",
    params:
        launcher=lambda w, resources: torch_launcher(resources.gpu),
        spec=lambda w, input, output, threads: json.dumps({
            "model": w.model,
            "settings": bert_model(w.model),
            "size": BERT["sizes"][bert_model(w.model)["size"]],
            "phase": int(w.phase) - 1,
            "data": input.data,
            "tokenizer": os.path.dirname(input.tokenizer),
            "init": os.path.dirname(input.init[0]) if input.init else None,
            "out": os.path.dirname(output[0]),
            "checkpoints": f"checkpoints/bert/{w.model}/phase{w.phase}",
            "threads": threads,
        }),
    threads: lambda w: max(1, bert_gpus(w)) * bert_model(w.model)["resources"]["cpus_per_gpu"]
    resources:
        gpu=bert_gpus,
        cpus_per_gpu=lambda w: bert_model(w.model)["resources"]["cpus_per_gpu"] if bert_gpus(w) else 0,
        mem_mb=lambda w, attempt: bert_model(w.model)["resources"]["mem_mb"] * attempt,
        runtime=lambda w: bert_model(w.model)["resources"]["runtime"],
    log:
        "logs/bert/{model}/phase{phase}.log",
    benchmark:
        "benchmarks/bert/{model}/phase{phase}.tsv"
    conda:
        "../envs/pretrain.yaml"
    shell:
        "{params.launcher} {workflow.basedir}/scripts/pretrain_bert.py --spec {params.spec:q} > {log} 2>&1"


rule bert_loss_plot:
    input:
        [f"{bert_final(n)}/training.jsonl" for n in BERT["models"]],
    output:
        report("results/plots/bert_loss.png", caption="../report/bert_loss.rst", category="Pretraining"),
    params:
        names=list(BERT["models"]),
        key="mlm_loss",
        label="MLM loss (training)",
    localrule: True
    log:
        "logs/plots/bert_loss.log",
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/plot_training.py"


rule bert:
    """Stage target: every configured BERT model, pretrained through its last phase and exported, and its loss curve."""
    input:
        [f"{bert_final(n)}/{f}" for n in BERT["models"] for f in BERT_EXPORT],
        rules.bert_loss_plot.output,
