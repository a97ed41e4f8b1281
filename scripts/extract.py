# Rule glue for extract_<source>: see smie/extract/run.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(snakemake.scriptdir).parent))

from smie.extract.run import extract
from smie.rules import rule_log

with rule_log(snakemake.log[0]) as log:
    stats = extract(
        snakemake.input,
        kind=snakemake.params.settings["kind"],
        source=snakemake.params.settings["source"],
        lang_hint=snakemake.params.settings["lang"],
        max_document_bytes=snakemake.params.settings["max_document_bytes"],
        reader_options=snakemake.params.settings.get("reader_options", {}),
        streams=snakemake.params.settings.get("streams"),
        shard_paths=snakemake.output.shards,
        stats_path=snakemake.output.stats,
        rejected_path=snakemake.output.rejected,
    )
    print(stats.to_dict(), file=log)
    if not stats.docs["kept"]:  # a wrong path or format, most likely: say so, loudly
        for stream in (log, sys.__stderr__):
            print(f"smie: warning: source {snakemake.params.settings['source']} gave no documents from "
                  f"{', '.join(map(str, snakemake.input))} (read {stats.docs['in']} records; see "
                  f"{snakemake.output.rejected})", file=stream)
