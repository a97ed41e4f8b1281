# download: every file of every source into resources/download/<source>/<file name>.


rule download_file:
    output:
        "resources/download/{source}/{filename}",
    log:
        "logs/download/{source}/{filename}.log",
    # Compute nodes of many clusters have no internet: download on the submit host.
    localrule: True
    conda:
        "../envs/corpus.yaml"
    params:
        spec=lambda w: CONFIG.file_spec(w.source, w.filename),
        settings=runtime(lambda w: CONFIG.download_runtime(w.source)),
        check=None,
    script:
        "../scripts/download.py"
