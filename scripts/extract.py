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
    if not stats.docs["kept"]:  # a wrong path or format, most likely: say so on the console too
        print(f"smie: warning: {', '.join(map(str, snakemake.input))} gave no documents "
              f"(read {stats.docs['in']} records; see {snakemake.log[0]})", file=sys.__stderr__)
