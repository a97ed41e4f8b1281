# elmo: one pretraining job per configured model, from the udpipe `tokens` or
# `lemmas` corpus (the one its ELMo vocabulary counts) and that vocabulary,
# exported in bilm-tf's layout to results/elmo/<model>/ (options.json, model.hdf5,
# vocab.txt) with its training log. Checkpoints live in checkpoints/elmo/<model>/,
# beside the outputs, so that a job killed at its walltime (or by anything else)
# resumes when rerun. See smie/elmo/.
import json
import re

ELMO = config["elmo"]
ELMO_MODEL_NAMES = "|".join(map(re.escape, ELMO["models"])) or "(?!)"
ELMO_EXPORT = ["options.json", "model.hdf5", "vocab.txt", "training.jsonl"]


def elmo_model(name):
    return ELMO["models"][name]


def elmo_corpus(name):
    """The udpipe corpus (tokens or lemmas) of a model: the one its vocabulary counts."""
    return config["vocab"]["elmo"][elmo_model(name)["vocab"]]["corpus"]


def elmo_corpus_spec(name):
    """The corpus files as a pattern and the shards of each source: a list of
    thousands of paths would exceed the length of one command-line argument."""
    pattern = f"results/udpipe/{{source}}/{{shard:04d}}.{elmo_corpus(name)}.txt.gz"
    files = {s: SOURCES[s]["shards"] for s in SOURCES}
    expanded = [pattern.format(source=s, shard=k) for s, n in files.items() for k in range(n)]
    assert expanded == udpipe_outputs(elmo_corpus(name)), "the pattern must name the rule's input files"
    return {"pattern": pattern, "shards": files}


def elmo_gpus(wildcards):
    return elmo_model(wildcards.model)["resources"]["gpu"]


def check_elmo_models():
    for name, size in ELMO["sizes"].items():
        n_filters = sum(n for _, n in size["filters"])
        if n_filters <= size["projection_dim"]:  # bilm-tf's layout projects the filters down
            raise ValueError(f"config: elmo.sizes.{name}: the filters add up to {n_filters}, "
                             f"which must exceed projection_dim ({size['projection_dim']})")
        if max(w for w, _ in size["filters"]) > size["max_chars"]:
            raise ValueError(f"config: elmo.sizes.{name}: a filter is wider than max_chars ({size['max_chars']})")
    for name, s in ELMO["models"].items():
        if s["size"] not in ELMO["sizes"]:
            raise ValueError(
                f"config: elmo.models.{name}.size {s['size']!r} is not in elmo.sizes ({', '.join(ELMO['sizes'])})"
            )
        if s["vocab"] not in config["vocab"]["elmo"]:
            raise ValueError(f"config: elmo.models.{name}.vocab {s['vocab']!r} is not in vocab.elmo")


check_elmo_models()


rule pretrain_elmo:
    input:
        vocab=lambda w: f"results/vocab/elmo/{elmo_model(w.model)['vocab']}/vocab.txt",
        corpus=lambda w: udpipe_outputs(elmo_corpus(w.model)),
    output:
        [f"results/elmo/{{model}}/{f}" for f in ELMO_EXPORT],
    wildcard_constraints:
        model=ELMO_MODEL_NAMES,
    params:
        launcher=lambda w, resources: torch_launcher(resources.gpu),
        script=os.path.join(workflow.basedir, "scripts", "pretrain_elmo.py"),
        spec=lambda w, input, output, threads: json.dumps({
            "model": w.model,
            "settings": elmo_model(w.model),
            "size": ELMO["sizes"][elmo_model(w.model)["size"]],
            "corpus": elmo_corpus_spec(w.model),
            "vocab": input.vocab,
            "out": os.path.dirname(output[0]),
            "checkpoints": f"checkpoints/elmo/{w.model}",
            "threads": threads,
        }),
    threads: lambda w: max(1, elmo_gpus(w)) * elmo_model(w.model)["resources"]["cpus_per_gpu"]
    resources:
        gpu=elmo_gpus,
        cpus_per_gpu=lambda w: elmo_model(w.model)["resources"]["cpus_per_gpu"] if elmo_gpus(w) else 0,
        mem_mb=lambda w, attempt: elmo_model(w.model)["resources"]["mem_mb"] * attempt,
        runtime=lambda w: elmo_model(w.model)["resources"]["runtime"],
    log:
        "logs/elmo/{model}.log",
    benchmark:
        "benchmarks/elmo/{model}.tsv"
    conda:
        "../envs/pretrain.yaml"
    shell:
        "{params.launcher} {params.script:q} --spec {params.spec:q} > {log} 2>&1"


rule elmo_perplexity_plot:
    input:
        [f"results/elmo/{n}/training.jsonl" for n in ELMO["models"]],
    output:
        report("results/plots/elmo_perplexity.png", caption="../report/elmo_perplexity.rst", category="Pretraining"),
    params:
        names=list(ELMO["models"]),
        key="heldout_ppl",
        label="held-out perplexity",
    localrule: True
    log:
        "logs/plots/elmo_perplexity.log",
    conda:
        "../envs/pretrain.yaml"
    script:
        "../scripts/plot_training.py"


rule elmo:
    """Stage target: every configured ELMo model, trained and exported, and its perplexity curve."""
    input:
        [f"results/elmo/{n}/{f}" for n in ELMO["models"] for f in ELMO_EXPORT],
        rules.elmo_perplexity_plot.output,

