# evaluate: every pretrained model (each BERT's last phase, each ELMo export) and
# every baseline on every task, one job per seed, then the paper table with score
# and minutes. BERTs are fine-tuned, ELMos stay frozen under a small trained model.
# See smie/evaluate/.
import re

EVAL = config["evaluate"]
EVAL_TASKS = "|".join(map(re.escape, EVAL["tasks"])) or "(?!)"
SPLITS = ["train", "dev", "test"]


def evaluated_models():
    """Name -> (kind, directory) of every column of the results table."""
    models = {name: ("bert", bert_final(name)) for name in BERT["models"]}
    for name in ELMO["models"]:
        if name in models:
            raise ValueError(f"config: elmo.models.{name} has the name of a BERT model (bert.models)")
        models[name] = ("elmo", f"results/elmo/{name}")
    for name, spec in EVAL["baselines"].items():
        if name in models:
            raise ValueError(f"config: evaluate.baselines.{name} has the name of a pretrained model")
        models[name] = (spec["kind"], os.path.join(workflow.basedir, spec["path"]))
    return models


EVAL_MODELS = evaluated_models()
EVAL_MODEL_NAMES = "|".join(map(re.escape, EVAL_MODELS)) or "(?!)"


def check_eval_tasks():
    for task, spec in EVAL["tasks"].items():
        if spec["kind"] == "sentiment" and not spec.get("labels"):
            raise ValueError(f"config: evaluate.tasks.{task} is a sentiment task without labels")
        names = [file_name(spec[split]["url"]) for split in SPLITS]
        if len(set(names)) < len(names):
            raise ValueError(f"config: evaluate.tasks.{task}: train, dev and test need files of different names")


check_eval_tasks()


def eval_file(task, split):
    return f"resources/eval/{task}/{file_name(EVAL['tasks'][task][split]['url'])}"


def eval_file_spec(task, filename):
    for split in SPLITS:
        spec = EVAL["tasks"][task][split]
        if file_name(spec["url"]) == filename:
            return resolved(spec)
    raise ValueError(f"config: evaluate.tasks.{task} has no file named {filename!r}")


def model_inputs(name):
    """The files of a model the evaluation waits for (a baseline's: the one that says what it is)."""
    kind, directory = EVAL_MODELS[name]
    if name in BERT["models"]:
        return [f"{directory}/config.json", f"{directory}/model.safetensors"]
    if name in ELMO["models"]:
        return [f"{directory}/options.json", f"{directory}/model.hdf5"]
    return [f"{directory}/{'config.json' if kind == 'bert' else 'options.json'}"]


def evaluation_records():
    return [f"results/evaluate/{task}/{model}/seed{seed}.json"
            for task in EVAL["tasks"] for model in EVAL_MODELS for seed in EVAL["seeds"]]


rule download_eval_file:
    output:
        "resources/eval/{task}/{filename}",
    wildcard_constraints:
        task=EVAL_TASKS,
    params:
        spec=lambda w: eval_file_spec(w.task, w.filename),
        auth_env=None,
        settings=config["download"],
    log:
        "logs/download/eval/{task}/{filename}.log",
    localrule: True
    conda:
        "../envs/corpus.yaml"
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
    wildcard_constraints:
        task=EVAL_TASKS,
        model=EVAL_MODEL_NAMES,
        seed=r"\d+",
    params:
        task=lambda w: EVAL["tasks"][w.task],
        kind=lambda w: EVAL_MODELS[w.model][0],
        settings=lambda w: EVAL[EVAL_MODELS[w.model][0]],
        model_dir=lambda w: EVAL_MODELS[w.model][1],
    threads: max(1, EVAL["resources"]["gpu"]) * EVAL["resources"]["cpus_per_gpu"]
    resources:
        gpu=EVAL["resources"]["gpu"],
        mem_mb=lambda w, attempt: EVAL["resources"]["mem_mb"] * attempt,
        runtime=EVAL["resources"]["runtime"],
    log:
        "logs/evaluate/{task}/{model}/seed{seed}.log",
    benchmark:
        "benchmarks/evaluate/{task}/{model}/seed{seed}.tsv"
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/evaluate_model.py"


rule results_table:
    input:
        evaluation_records(),
    output:
        csv="results/tables/results.csv",
        md="results/tables/results.md",
        tex="results/tables/results.tex",
        html=report("results/tables/results.html", caption="../report/results.rst", category="Results"),
    params:
        tasks=list(EVAL["tasks"]),
        models=list(EVAL_MODELS),
        config_hash=config_hash(),
    localrule: True
    log:
        "logs/tables/results.log",
    conda:
        "../envs/pretrain.yaml"
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
