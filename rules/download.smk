# download: every file of every source into resources/download/<source>/<file name>.


rule download_file:
    output:
        "resources/download/{source}/{filename}",
    params:
        spec=lambda w: get_file_spec(w.source, w.filename),
        auth_env=lambda w: SOURCES[w.source]["auth_env"],
        settings=config["download"],
    log:
        "logs/download/{source}/{filename}.log",
    # Compute nodes of many clusters have no internet: download on the submit host.
    localrule: True
    conda:
        "../envs/corpus.yaml"
    script:
        "../scripts/download.py"
