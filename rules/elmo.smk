# elmo: one pretraining job per configured model, from the udpipe `tokens` or
# `lemmas` corpus (the one its ELMo vocabulary counts) and that vocabulary,
# exported in bilm-tf's layout to results/elmo/<model>/ (options.json, model.hdf5,
# vocab.txt) with its training log. Checkpoints live in checkpoints/elmo/<model>/,
# beside the outputs, so that a job killed at its walltime (or by anything else)
# resumes when rerun. See smie/elmo/.


rule pretrain_elmo:
    input:
        vocab=lambda w: f"results/vocab/elmo/{ELMO_MODELS[w.model]['vocab']}/vocab.txt",
        corpus=lambda w: udpipe_outputs(CONFIG.elmo_corpus(w.model)),
    output:
        [f"results/elmo/{{model}}/{f}" for f in ELMO_EXPORT],
    log:
        "logs/elmo/{model}.log",
    benchmark:
        "benchmarks/elmo/{model}.tsv"
    wildcard_constraints:
        model=ELMO_MODEL_NAMES,
    conda:
        "../envs/pretrain.yaml"
    threads: pretrain_threads("elmo")
    resources:
        **pretrain_resources("elmo"),
    params:
        launcher=lambda w, resources: torch_launcher(resources.gpu),
        script=os.path.join(workflow.basedir, "scripts", "pretrain_elmo.py"),
        # what the model depends on, compared by Snakemake's params trigger
        settings=lambda w: json.dumps(CONFIG.elmo_model(w.model)),
        # where it reads and writes, and how it runs: not compared
        job=lambda w, input, output, threads: json.dumps(
            {
                "runtime": CONFIG.model_runtime("elmo", w.model),
                "corpus": elmo_corpus_spec(w.model),
                "vocab": input.vocab,
                "out": os.path.dirname(output[0]),
                "checkpoints": f"checkpoints/elmo/{w.model}",
                "threads": threads,
            }
        ),
    shell:
        "{params.launcher} {params.script:q} --settings {params.settings:q} --job {params.job:q} --log {log:q} > {log} 2>&1"


rule elmo_perplexity_plot:
    input:
        [f"results/elmo/{n}/training.jsonl" for n in ELMO_MODELS],
    output:
        report("results/plots/elmo_perplexity.png", caption="../report/elmo_perplexity.rst", category="Pretraining"),
    log:
        "logs/plots/elmo_perplexity.log",
    localrule: True
    conda:
        "../envs/pretrain.yaml"
    params:
        names=list(ELMO_MODELS),
        key="heldout_ppl",
        label="held-out perplexity",
    script:
        "../scripts/plot_training.py"


rule elmo:
    """Stage target: every configured ELMo model, trained and exported, and its perplexity curve."""
    input:
        [f"results/elmo/{n}/{f}" for n in ELMO_MODELS for f in ELMO_EXPORT],
        rules.elmo_perplexity_plot.output,
